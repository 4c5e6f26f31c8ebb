import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore, type SqliteStore } from '../storage/index.ts';
import { activeUsers, isActiveUser } from './active-users.ts';

describe('activeUsers: what everything acting for people sees', () => {
  let store: SqliteStore;
  beforeEach(async () => {
    store = await createSqliteStore({ path: ':memory:' });
    const person = (id: string) => ({
      id,
      name: id,
      title: '',
      groups: ['g'],
      managerId: null,
      userName: `${id}@x.example`,
    });
    await store.users.upsert(person('ana'));
    await store.users.upsert({ ...person('ben'), active: false });
    await store.users.upsert(person('cy'));
    await store.users.update('cy', () => ({ deletedAt: 1, userName: null }));
  });
  afterEach(async () => {
    await store.close();
  });

  it('hides deprovisioned and deleted people from every read, as if they never existed', async () => {
    const users = activeUsers(store.users);
    expect((await users.get('ana'))?.id).toBe('ana');
    expect(await users.get('ben')).toBeUndefined();
    expect(await users.get('cy')).toBeUndefined();
    expect((await users.getMany(['ana', 'ben', 'cy'])).map((user) => user.id)).toEqual(['ana']);
    expect((await users.list()).map((user) => user.id)).toEqual(['ana']);
    expect(await users.findByUserName('BEN@x.example')).toBeUndefined();
    // The store itself still has them (provisioning, audit, governance read it).
    expect((await store.users.list()).map((user) => [user.id, isActiveUser(user)])).toEqual([
      ['ana', true],
      ['ben', false],
      ['cy', false],
    ]);
  });

  it('writes through', async () => {
    const users = activeUsers(store.users);
    await users.update('ben', () => ({ active: true }));
    expect((await users.get('ben'))?.active).toBe(true);
  });
});
