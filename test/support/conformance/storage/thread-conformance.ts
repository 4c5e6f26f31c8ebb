import { describe, expect, it } from 'vitest';
import { aThread, freshStoreFor, type OpenStore } from './store-fixtures.ts';

/** ThreadStore: threads, membership and the version that keys decisions (I3, I8). */
export function describeThreadConformance(open: OpenStore): void {
  const store = freshStoreFor(open);

  describe('threads', () => {
    it('creates a thread at version 1 with its members and round-trips it', async () => {
      const thread = aThread('thr-1', { mode: 'self', agentId: 'sales-assistant' });
      const created = await store().threads.create(thread, ['alice', 'bob']);
      expect(created).toEqual({ ...thread, version: 1 });
      expect(await store().threads.get('thr-1')).toEqual(created);
      expect(await store().threads.members('thr-1')).toEqual(['alice', 'bob']);
    });

    it('returns undefined for an unknown thread and no members', async () => {
      expect(await store().threads.get('nope')).toBeUndefined();
      expect(await store().threads.members('nope')).toEqual([]);
      expect(await store().threads.isMember('nope', 'alice')).toBe(false);
    });

    it('ignores duplicate members at creation', async () => {
      await store().threads.create(aThread('thr-1'), ['bob', 'alice', 'bob']);
      expect(await store().threads.members('thr-1')).toEqual(['alice', 'bob']);
    });

    it('refuses a second thread with the same id', async () => {
      await store().threads.create(aThread('thr-1'), ['alice']);
      await expect(store().threads.create(aThread('thr-1'), ['bob'])).rejects.toThrow();
      expect(await store().threads.members('thr-1')).toEqual(['alice']);
    });

    it('lists the threads a user is a member of, and only those', async () => {
      await store().threads.create(aThread('thr-b', { createdAt: 2 }), ['alice', 'bob']);
      await store().threads.create(aThread('thr-a', { createdAt: 1 }), ['alice']);
      await store().threads.create(aThread('thr-c', { createdAt: 3 }), ['carol']);
      expect((await store().threads.listForUser('alice')).map((thread) => thread.id)).toEqual(['thr-a', 'thr-b']);
      expect((await store().threads.listForUser('bob')).map((thread) => thread.id)).toEqual(['thr-b']);
      await store().threads.removeMember('thr-b', 'bob');
      expect(await store().threads.listForUser('bob')).toEqual([]);
    });

    it('updates title, mode and agent identity, bumping the version once per real change', async () => {
      await store().threads.create(aThread('thr-1'), ['alice']);
      const renamed = await store().threads.update('thr-1', { title: 'Q3 planning' });
      expect(renamed).toMatchObject({ title: 'Q3 planning', version: 2 });
      const switched = await store().threads.update('thr-1', { mode: 'self', agentId: 'sales-assistant' });
      expect(switched).toMatchObject({ title: 'Q3 planning', mode: 'self', agentId: 'sales-assistant', version: 3 });
      const cleared = await store().threads.update('thr-1', { mode: 'user', agentId: null });
      expect(cleared).toMatchObject({ mode: 'user', agentId: null, version: 4 });
      expect(await store().threads.get('thr-1')).toEqual(cleared);
    });

    it('keeps the version when an update changes nothing', async () => {
      await store().threads.create(aThread('thr-1', { agentId: 'sales-assistant' }), ['alice']);
      expect(
        (await store().threads.update('thr-1', { title: 'Thread thr-1', agentId: 'sales-assistant' })).version,
      ).toBe(1);
      expect((await store().threads.update('thr-1', {})).version).toBe(1);
    });

    it('refuses to update an unknown thread with not_found', async () => {
      await expect(store().threads.update('nope', { title: 'x' })).rejects.toMatchObject({ code: 'not_found' });
      await expect(store().threads.update('nope', {})).rejects.toMatchObject({ code: 'not_found' });
    });
  });

  describe('membership', () => {
    it('adds a member once: true, then false, bumping the version once', async () => {
      await store().threads.create(aThread('thr-1'), ['alice']);
      expect(await store().threads.addMember('thr-1', 'carol')).toBe(true);
      expect(await store().threads.addMember('thr-1', 'carol')).toBe(false);
      expect(await store().threads.isMember('thr-1', 'carol')).toBe(true);
      expect(await store().threads.members('thr-1')).toEqual(['alice', 'carol']);
      expect((await store().threads.get('thr-1'))?.version).toBe(2);
    });

    it('removes a member once: true, then false, bumping the version once', async () => {
      await store().threads.create(aThread('thr-1'), ['alice', 'bob']);
      expect(await store().threads.removeMember('thr-1', 'bob')).toBe(true);
      expect(await store().threads.removeMember('thr-1', 'bob')).toBe(false);
      expect(await store().threads.isMember('thr-1', 'bob')).toBe(false);
      expect(await store().threads.members('thr-1')).toEqual(['alice']);
      expect((await store().threads.get('thr-1'))?.version).toBe(2);
    });

    it('treats membership per thread', async () => {
      await store().threads.create(aThread('thr-1'), ['alice']);
      await store().threads.create(aThread('thr-2'), ['bob']);
      expect(await store().threads.isMember('thr-1', 'bob')).toBe(false);
      expect(await store().threads.isMember('thr-2', 'bob')).toBe(true);
      expect(await store().threads.removeMember('thr-1', 'bob')).toBe(false);
    });

    it('refuses to add a member to an unknown thread', async () => {
      await expect(store().threads.addMember('nope', 'alice')).rejects.toMatchObject({ code: 'not_found' });
    });

    it('bumps the version exactly once per effective change under concurrent adds', async () => {
      await store().threads.create(aThread('thr-1'), []);
      const users = Array.from({ length: 20 }, (_, index) => `user-${index % 10}`);
      const added = await Promise.all(users.map((user) => store().threads.addMember('thr-1', user)));
      expect(added.filter(Boolean)).toHaveLength(10);
      expect((await store().threads.get('thr-1'))?.version).toBe(11);
    });
  });
}
