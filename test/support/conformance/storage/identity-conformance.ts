import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Session, UserInput } from '../../../../src/identity/types.ts';
import { aUser, freshStoreFor, type OpenStore, T0 } from './store-fixtures.ts';

/** UserStore and SessionStore. */
export function describeIdentityConformance(open: OpenStore): void {
  const store = freshStoreFor(open);

  describe('users', () => {
    it('returns undefined for an unknown user', async () => {
      expect(await store().users.get('nobody')).toBeUndefined();
    });

    it('creates a user at version 1 and round-trips every field exactly', async () => {
      const input = aUser('bob', { groups: ['sales', 'sales-emea', 'équipe'], managerId: 'erin', title: 'AE' });
      const created = await store().users.upsert(input);
      expect(created).toEqual({ ...input, version: 1 });
      expect(await store().users.get('bob')).toEqual({ ...input, version: 1 });
    });

    it('keeps an empty group list empty', async () => {
      await store().users.upsert(aUser('ivy', { groups: [] }));
      expect((await store().users.get('ivy'))?.groups).toEqual([]);
    });

    it('does not bump the version when an upsert changes nothing', async () => {
      await store().users.upsert(aUser('bob'));
      const again = await store().users.upsert(aUser('bob'));
      expect(again.version).toBe(1);
      expect((await store().users.get('bob'))?.version).toBe(1);
    });

    it.each<[string, Partial<UserInput>]>([
      ['name', { name: 'Robert' }],
      ['title', { title: 'VP' }],
      ['groups', { groups: ['engineering'] }],
      ['group order', { groups: ['managers', 'engineering'] }],
      ['managerId', { managerId: 'frank' }],
    ])('bumps the version by exactly one when %s changes', async (_field, change) => {
      await store().users.upsert(aUser('carol', { groups: ['engineering', 'managers'] }));
      const changed = await store().users.upsert(aUser('carol', { groups: ['engineering', 'managers'], ...change }));
      expect(changed.version).toBe(2);
      expect(await store().users.get('carol')).toEqual(changed);
    });

    it('reads the existing users among many ids in one call, and nothing for none', async () => {
      for (const id of ['gus', 'alice']) await store().users.upsert(aUser(id));
      const getMany = store().users.getMany?.bind(store().users);
      expect(getMany).toBeDefined();
      const found = await getMany?.(['alice', 'nobody', 'gus', 'alice']);
      expect(found?.map((user) => user.id).sort()).toEqual(['alice', 'gus']);
      expect(await getMany?.([])).toEqual([]);
    });

    it('lists every user ordered by id', async () => {
      for (const id of ['gus', 'alice', 'dana']) await store().users.upsert(aUser(id));
      expect((await store().users.list()).map((user) => user.id)).toEqual(['alice', 'dana', 'gus']);
    });

    it('counts versions as 1 + the number of upserts that changed something (property)', async () => {
      const titles = fc.constantFrom('Engineer', 'Manager', 'Director');
      const groups = fc.constantFrom<string[]>(['a'], ['a', 'b'], ['b', 'a'], []);
      let round = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ title: titles, groups }), { minLength: 1, maxLength: 8 }),
          async (steps) => {
            const id = `user-${round++}`;
            let expected = 0;
            let previous: string | undefined;
            for (const step of steps) {
              const key = JSON.stringify(step);
              if (key !== previous) expected += 1;
              previous = key;
              const user = await store().users.upsert(aUser(id, step));
              expect(user.version).toBe(expected);
            }
          },
        ),
        { numRuns: 40 },
      );
    });
  });

  describe('sessions', () => {
    const session = (tokenHash: string, expiresAt: number): Session => ({
      tokenHash,
      userId: 'alice',
      csrfToken: `csrf-${tokenHash}`,
      createdAt: T0,
      expiresAt,
    });

    it('round-trips a session and forgets unknown tokens', async () => {
      await store().sessions.create(session('h1', T0 + 1000));
      expect(await store().sessions.get('h1')).toEqual(session('h1', T0 + 1000));
      expect(await store().sessions.get('h2')).toBeUndefined();
    });

    it('refuses a second session with the same token hash', async () => {
      await store().sessions.create(session('h1', T0 + 1000));
      await expect(store().sessions.create(session('h1', T0 + 2000))).rejects.toThrow();
    });

    it('deletes a session, and deleting an unknown one is a no-op', async () => {
      await store().sessions.create(session('h1', T0 + 1000));
      await store().sessions.delete('h1');
      await store().sessions.delete('h1');
      expect(await store().sessions.get('h1')).toBeUndefined();
    });

    it('deletes exactly the sessions expired at `now` and returns how many', async () => {
      await store().sessions.create(session('past', T0 - 1));
      await store().sessions.create(session('now', T0));
      await store().sessions.create(session('future', T0 + 1));
      expect(await store().sessions.deleteExpired(T0)).toBe(2);
      expect(await store().sessions.get('future')).toBeDefined();
      expect(await store().sessions.get('now')).toBeUndefined();
      expect(await store().sessions.deleteExpired(T0)).toBe(0);
    });
  });

  describe('agent identities', () => {
    const identity = {
      id: 'sales-assistant',
      name: 'Sales assistant',
      groups: ['sales', 'sales-emea'],
      assigners: ['managers'],
      provisionedBy: 'dana',
      createdAt: T0,
    };

    it('creates an identity at version 1, round-trips it and lists it', async () => {
      expect(await store().agents.get('sales-assistant')).toBeUndefined();
      expect(await store().agents.create(identity)).toBe(true);
      expect(await store().agents.get('sales-assistant')).toEqual({ ...identity, version: 1 });
      await store().agents.create({ ...identity, id: 'hr-assistant', groups: [] });
      expect((await store().agents.list()).map((agent) => agent.id)).toEqual(['hr-assistant', 'sales-assistant']);
    });

    it('refuses to create an identity twice, leaving the first unchanged', async () => {
      await store().agents.create(identity);
      expect(await store().agents.create({ ...identity, groups: ['hr'] })).toBe(false);
      expect((await store().agents.get('sales-assistant'))?.groups).toEqual(['sales', 'sales-emea']);
    });
  });
}
