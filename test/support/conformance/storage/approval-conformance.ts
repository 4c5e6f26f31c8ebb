import { describe, expect, it } from 'vitest';
import type { Approval } from '../../../../src/agent/types.ts';
import { aRun, aThread, freshStoreFor, type OpenStore, T0 } from './store-fixtures.ts';

/** ApprovalStore: decide-once compare-and-set and standing approvals keyed by (user, tool) (I7). */
export function describeApprovalConformance(open: OpenStore): void {
  const store = freshStoreFor(open);
  const request = (id: string, overrides: Partial<Approval> = {}) => ({
    id,
    runId: 'run-1',
    threadId: 'thr-1',
    requesterId: 'bob',
    tool: 'send-email',
    callId: `call-${id}`,
    args: { to: ['dana@acme.test'], subject: 'Q3', nested: { n: 1, ok: false } },
    createdAt: T0,
    ...overrides,
  });
  const withRuns = async () => {
    await store().threads.create(aThread('thr-1'), ['alice', 'bob']);
    await store().runs.create(aRun('run-1', 'thr-1', { requesterId: 'bob' }));
    await store().runs.create(aRun('run-2', 'thr-1'));
  };

  describe('approvals', () => {
    it('creates a pending approval and round-trips its arguments', async () => {
      await withRuns();
      const created = await store().approvals.create(request('ap-1'));
      expect(created).toEqual({ ...request('ap-1'), status: 'pending', always: false, decidedAt: null });
      expect(await store().approvals.get('ap-1')).toEqual(created);
      expect(await store().approvals.get('nope')).toBeUndefined();
    });

    it('decides once: approve applies, a second decision returns undefined and changes nothing', async () => {
      await withRuns();
      await store().approvals.create(request('ap-1'));
      const approved = await store().approvals.decide('ap-1', { approve: true, always: true, at: T0 + 5 });
      expect(approved).toMatchObject({ status: 'approved', always: true, decidedAt: T0 + 5 });
      expect(await store().approvals.decide('ap-1', { approve: false, always: false, at: T0 + 9 })).toBeUndefined();
      expect(await store().approvals.get('ap-1')).toEqual(approved);
    });

    it('records a denial', async () => {
      await withRuns();
      await store().approvals.create(request('ap-1'));
      expect(await store().approvals.decide('ap-1', { approve: false, always: false, at: T0 + 1 })).toMatchObject({
        status: 'denied',
        always: false,
        decidedAt: T0 + 1,
      });
    });

    it('lets exactly one of many concurrent decisions apply', async () => {
      await withRuns();
      await store().approvals.create(request('ap-1'));
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          store().approvals.decide('ap-1', { approve: index % 2 === 0, always: false, at: T0 + index }),
        ),
      );
      expect(outcomes.filter((outcome) => outcome !== undefined)).toHaveLength(1);
    });

    it('returns undefined when deciding an unknown approval', async () => {
      expect(await store().approvals.decide('nope', { approve: true, always: false, at: T0 })).toBeUndefined();
    });

    it('lists pending approvals by run and by requester, leaving decided ones out', async () => {
      await withRuns();
      await store().approvals.create(request('ap-1', { createdAt: T0 + 1 }));
      await store().approvals.create(request('ap-2', { createdAt: T0 + 2, runId: 'run-2', requesterId: 'alice' }));
      await store().approvals.create(request('ap-3', { createdAt: T0 + 3 }));
      await store().approvals.decide('ap-3', { approve: true, always: false, at: T0 + 4 });
      const ids = (approvals: Approval[]) => approvals.map((approval) => approval.id);
      expect(ids(await store().approvals.listPending({}))).toEqual(['ap-1', 'ap-2']);
      expect(ids(await store().approvals.listPending({ runId: 'run-1' }))).toEqual(['ap-1']);
      expect(ids(await store().approvals.listPending({ requesterId: 'alice' }))).toEqual(['ap-2']);
      expect(ids(await store().approvals.listPending({ runId: 'run-2', requesterId: 'bob' }))).toEqual([]);
    });

    it('remembers a standing approval for (user, tool) only', async () => {
      expect(await store().approvals.hasStanding('bob', 'send-email')).toBe(false);
      await store().approvals.setStanding('bob', 'send-email', T0);
      await store().approvals.setStanding('bob', 'send-email', T0 + 1);
      expect(await store().approvals.hasStanding('bob', 'send-email')).toBe(true);
      expect(await store().approvals.hasStanding('alice', 'send-email')).toBe(false);
      expect(await store().approvals.hasStanding('bob', 'delete-file')).toBe(false);
    });
  });
}
