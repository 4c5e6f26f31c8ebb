import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Session, User, UserInput } from '../../../../src/identity/types.ts';
import { aUser, freshStoreFor, type OpenStore, T0 } from './store-fixtures.ts';

/** What a user created from the core fields alone holds. */
const DEFAULTS: Omit<User, 'id' | 'name' | 'title' | 'groups' | 'managerId' | 'version'> = {
  email: null,
  attributes: {},
  active: true,
  userName: null,
  externalId: null,
  deletedAt: null,
};

/** UserStore (with group records) and SessionStore. */
export function describeIdentityConformance(open: OpenStore): void {
  const store = freshStoreFor(open);

  describe('users', () => {
    it('returns undefined for an unknown user', async () => {
      expect(await store().users.get('nobody')).toBeUndefined();
    });

    it('creates a user at version 1 and round-trips every field exactly', async () => {
      const input = aUser('bob', { groups: ['sales', 'sales-emea', 'équipe'], managerId: 'erin', title: 'AE' });
      const created = await store().users.upsert(input);
      expect(created).toEqual({ ...input, ...DEFAULTS, version: 1 });
      expect(await store().users.get('bob')).toEqual({ ...input, ...DEFAULTS, version: 1 });
    });

    it('round-trips email, attributes, active, userName and externalId', async () => {
      const input = aUser('ana', {
        email: 'ana@riverside.example',
        attributes: { uid: '6f1c', ward: 3, oncall: true, naïve: 'é' },
        active: false,
        userName: 'Ana.Ruiz@Riverside.example',
        externalId: '00u1ab',
      });
      const created = await store().users.upsert(input);
      expect(created).toEqual({ ...input, deletedAt: null, version: 1 });
      expect(await store().users.get('ana')).toEqual(created);
      expect(await store().users.getMany(['ana'])).toEqual([created]);
    });

    it('keeps the fields an upsert leaves out, and bumps the version only for those it changes', async () => {
      const full = aUser('ana', { email: 'a@x.example', attributes: { uid: 'u1' }, active: false, userName: 'ana' });
      await store().users.upsert(full);
      // A seed or an OIDC login that names only the core fields reactivates nobody.
      const again = await store().users.upsert(aUser('ana'));
      expect(again).toMatchObject({ email: 'a@x.example', attributes: { uid: 'u1' }, active: false, version: 1 });
      // Attribute key order is not a change.
      const reordered = await store().users.upsert(aUser('ana', { attributes: { uid: 'u1' }, email: 'a@x.example' }));
      expect(reordered.version).toBe(1);
    });

    it.each<[string, Partial<UserInput>]>([
      ['email', { email: 'other@x.example' }],
      ['email cleared', { email: null }],
      ['attributes', { attributes: { uid: 'u2' } }],
      ['active', { active: false }],
      ['userName', { userName: 'someone-else' }],
      ['externalId', { externalId: 'ext-2' }],
    ])('bumps the version by exactly one when %s changes', async (_field, change) => {
      await store().users.upsert(aUser('dana', { email: 'd@x.example', attributes: { uid: 'u1' }, userName: 'dana' }));
      const changed = await store().users.upsert(aUser('dana', change));
      expect(changed.version).toBe(2);
      expect(changed).toMatchObject(change);
      expect(await store().users.get('dana')).toEqual(changed);
    });

    it('finds a user by userName without regard to case, and refuses a second user with the same one', async () => {
      await store().users.upsert(aUser('ana', { userName: 'Ana.Ruiz@Riverside.example' }));
      expect((await store().users.findByUserName('ana.ruiz@riverside.EXAMPLE'))?.id).toBe('ana');
      expect(await store().users.findByUserName('nobody@riverside.example')).toBeUndefined();
      await expect(store().users.upsert(aUser('ana2', { userName: 'ANA.RUIZ@riverside.example' }))).rejects.toThrow();
      await expect(store().users.update('ana', () => ({ userName: 'bob@riverside.example' }))).resolves.toMatchObject({
        userName: 'bob@riverside.example',
        version: 2,
      });
      await store().users.upsert(aUser('bob'));
      await expect(store().users.update('bob', () => ({ userName: 'BOB@riverside.example' }))).rejects.toThrow();
    });

    it('creates a user only when neither its id nor its userName is taken', async () => {
      const created = await store().users.create(aUser('ana', { userName: 'Ana@Riverside.example', active: true }));
      expect(created).toEqual({ ...aUser('ana'), ...DEFAULTS, userName: 'Ana@Riverside.example', version: 1 });
      expect(await store().users.create(aUser('ana', { name: 'Someone else' }))).toBeUndefined();
      expect(await store().users.create(aUser('ana2', { userName: 'ana@riverside.EXAMPLE' }))).toBeUndefined();
      expect(await store().users.get('ana')).toEqual(created);
      expect(await store().users.get('ana2')).toBeUndefined();
    });

    it('updates a user atomically: one version per change, none for no change, nothing for an unknown user', async () => {
      await store().users.upsert(aUser('erin', { groups: ['sales'] }));
      const updated = await store().users.update('erin', (user) => ({
        groups: [...user.groups, 'managers'],
        email: 'erin@x.example',
      }));
      expect(updated).toMatchObject({ groups: ['sales', 'managers'], email: 'erin@x.example', version: 2 });
      expect(await store().users.update('erin', () => ({ groups: ['sales', 'managers'] }))).toEqual(updated);
      expect(await store().users.update('erin', () => undefined)).toEqual(updated);
      expect(await store().users.update('nobody', () => ({ name: 'x' }))).toBeUndefined();
      expect(await store().users.get('erin')).toEqual(updated);
    });

    it('loses no concurrent update (read-modify-write is compare-and-set)', async () => {
      await store().users.upsert(aUser('gus', { groups: [] }));
      const groups = Array.from({ length: 12 }, (_, index) => `g${index}`);
      await Promise.all(
        groups.map((group) => store().users.update('gus', (user) => ({ groups: [...user.groups, group] }))),
      );
      const gus = await store().users.get('gus');
      expect([...(gus?.groups ?? [])].sort()).toEqual([...groups].sort());
      expect(gus?.version).toBe(1 + groups.length);
    });

    it('keeps a deleted user deleted and inactive, whatever later writes say', async () => {
      await store().users.upsert(aUser('frank', { userName: 'frank' }));
      const deleted = await store().users.update('frank', () => ({ deletedAt: T0, active: false, userName: null }));
      expect(deleted).toMatchObject({ active: false, deletedAt: T0, userName: null, version: 2 });
      const reactivated = await store().users.upsert(aUser('frank', { active: true }));
      expect(reactivated).toMatchObject({ active: false, deletedAt: T0, version: 2 });
      const updated = await store().users.update('frank', () => ({ active: true, deletedAt: null }));
      expect(updated).toMatchObject({ active: false, deletedAt: T0, version: 2 });
      expect(await store().users.findByUserName('frank')).toBeUndefined();
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

  describe('group records', () => {
    const record = { name: 'sales-emea', displayName: 'Sales EMEA', externalId: 'okta-1', createdAt: T0 };

    it('creates, reads, lists, updates and deletes a group record', async () => {
      expect(await store().users.getGroup('sales-emea')).toBeUndefined();
      expect(await store().users.createGroup(record)).toBe(true);
      expect(await store().users.getGroup('sales-emea')).toEqual(record);
      await store().users.createGroup({ ...record, name: 'hr', displayName: 'HR', externalId: null });
      expect((await store().users.listGroups()).map((group) => group.name)).toEqual(['hr', 'sales-emea']);
      expect(await store().users.updateGroup('sales-emea', { displayName: 'EMEA Sales', externalId: null })).toEqual({
        ...record,
        displayName: 'EMEA Sales',
        externalId: null,
      });
      expect(await store().users.updateGroup('nothing', { displayName: 'X' })).toBeUndefined();
      expect(await store().users.deleteGroup('sales-emea')).toBe(true);
      expect(await store().users.deleteGroup('sales-emea')).toBe(false);
      expect(await store().users.getGroup('sales-emea')).toBeUndefined();
    });

    it('refuses a second record with the same name, or the same display name in another case', async () => {
      await store().users.createGroup(record);
      expect(await store().users.createGroup({ ...record, displayName: 'Other' })).toBe(false);
      expect(await store().users.createGroup({ ...record, name: 'other', displayName: 'sales emea' })).toBe(false);
      expect(await store().users.getGroup('sales-emea')).toEqual(record);
      expect(await store().users.getGroup('other')).toBeUndefined();
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

    it("ends every session of one user, returning their hashes, and nobody else's", async () => {
      await store().sessions.create(session('a1', T0 + 1000));
      await store().sessions.create(session('a2', T0 + 1000));
      await store().sessions.create({ ...session('b1', T0 + 1000), userId: 'bob' });
      expect((await store().sessions.deleteForUser('alice')).sort()).toEqual(['a1', 'a2']);
      expect(await store().sessions.get('a1')).toBeUndefined();
      expect(await store().sessions.get('b1')).toBeDefined();
      expect(await store().sessions.deleteForUser('alice')).toEqual([]);
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
