import { describe, expect, it } from 'vitest';
import type { RunStep } from '../../../../src/agent/types.ts';
import { aRun, aThread, freshStoreFor, type OpenStore, T0 } from './store-fixtures.ts';

/** RunStore: defaults, exact JSON round trips, compare-and-set on status. */
export function describeRunConformance(open: OpenStore): void {
  const store = freshStoreFor(open);
  const withThread = async () => {
    await store().threads.create(aThread('thr-1'), ['alice']);
    await store().threads.create(aThread('thr-2'), ['alice']);
  };

  describe('runs', () => {
    it('creates a run with empty trace, labels and state', async () => {
      await withThread();
      const run = aRun('run-1', 'thr-1');
      const created = await store().runs.create(run);
      expect(created).toEqual({
        ...run,
        answerMessageId: null,
        error: null,
        steps: [],
        labels: [],
        state: null,
        updatedAt: T0,
        leaseOwner: null,
        leaseExpiresAt: null,
        audience: 'me',
        sharedMessageId: null,
      });
      expect(await store().runs.get('run-1')).toEqual(created);
    });

    it('keeps the audience a run was asked for and the shared part of its answer (issue 10 point 3)', async () => {
      await withThread();
      const created = await store().runs.create({ ...aRun('run-room', 'thr-1'), audience: 'room' });
      expect(created).toMatchObject({ audience: 'room', sharedMessageId: null });
      const updated = await store().runs.update('run-room', { sharedMessageId: 'msg-shared' });
      expect(updated).toMatchObject({ audience: 'room', sharedMessageId: 'msg-shared' });
      expect(await store().runs.get('run-room')).toMatchObject({ audience: 'room', sharedMessageId: 'msg-shared' });
    });

    it('returns undefined for an unknown run, and updating it does nothing', async () => {
      expect(await store().runs.get('nope')).toBeUndefined();
      expect(await store().runs.update('nope', { status: 'running' })).toBeUndefined();
    });

    it('round-trips steps, labels and opaque state exactly', async () => {
      await withThread();
      await store().runs.create(aRun('run-1', 'thr-1'));
      const steps: RunStep[] = [
        { kind: 'model-step', at: T0, index: 0, finishReason: 'tool-calls' },
        {
          kind: 'tool-call',
          at: T0 + 1,
          callId: 'call-1',
          tool: 'sql',
          argsHash: 'ab'.repeat(32),
          decision: 'deny',
          policies: ['deny-comp', 'default'],
          reason: 'not cleared',
        },
        { kind: 'disclosure', at: T0 + 2, audience: 'requester', labels: ['hr-confidential'], policies: [] },
      ];
      const state = { messages: [{ role: 'user', content: 'salaries?' }], pending: { id: 'call-2', n: 1.5 }, ok: true };
      const updated = await store().runs.update('run-1', {
        steps,
        labels: ['public', 'hr-confidential'],
        state,
        status: 'awaiting_approval',
        leaseOwner: 'worker-1',
        leaseExpiresAt: T0 + 30_000,
      });
      expect(updated).toMatchObject({
        steps,
        labels: ['public', 'hr-confidential'],
        state,
        status: 'awaiting_approval',
      });
      expect(await store().runs.get('run-1')).toEqual(updated);
    });

    it('changes only the fields in the patch, and null clears a field', async () => {
      await withThread();
      await store().runs.create(aRun('run-1', 'thr-1'));
      await store().runs.update('run-1', { error: 'boom', leaseOwner: 'worker-1', leaseExpiresAt: T0 + 5 });
      const cleared = await store().runs.update('run-1', { leaseOwner: null, leaseExpiresAt: null });
      expect(cleared).toMatchObject({ error: 'boom', leaseOwner: null, leaseExpiresAt: null, status: 'queued' });
      expect(cleared?.requesterId).toBe('alice');
    });

    it('applies a compare-and-set only from an expected status', async () => {
      await withThread();
      await store().runs.create(aRun('run-1', 'thr-1'));
      const started = await store().runs.update('run-1', { status: 'running' }, ['queued']);
      expect(started?.status).toBe('running');
      expect(await store().runs.update('run-1', { status: 'running', leaseOwner: 'late' }, ['queued'])).toBeUndefined();
      expect((await store().runs.get('run-1'))?.leaseOwner).toBeNull();
      expect((await store().runs.update('run-1', { status: 'done' }, ['running', 'awaiting_approval']))?.status).toBe(
        'done',
      );
    });

    it('never applies a compare-and-set with no expected status', async () => {
      await withThread();
      await store().runs.create(aRun('run-1', 'thr-1'));
      expect(await store().runs.update('run-1', { status: 'cancelled' }, [])).toBeUndefined();
      expect((await store().runs.get('run-1'))?.status).toBe('queued');
    });

    it('lets exactly one of many concurrent claimers win', async () => {
      await withThread();
      await store().runs.create(aRun('run-1', 'thr-1'));
      const attempts = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          store().runs.update('run-1', { status: 'running', leaseOwner: `worker-${index}` }, ['queued']),
        ),
      );
      const winners = attempts.filter((run) => run !== undefined);
      expect(winners).toHaveLength(1);
      expect((await store().runs.get('run-1'))?.leaseOwner).toBe(winners[0]?.leaseOwner);
    });

    it('lists runs by status, thread and requester', async () => {
      await withThread();
      await store().runs.create(aRun('r1', 'thr-1', { status: 'queued', createdAt: T0 + 1 }));
      await store().runs.create(aRun('r2', 'thr-1', { status: 'running', requesterId: 'bob', createdAt: T0 + 2 }));
      await store().runs.create(aRun('r3', 'thr-2', { status: 'queued', requesterId: 'bob', createdAt: T0 + 3 }));
      await store().runs.create(aRun('r4', 'thr-2', { status: 'done', createdAt: T0 + 4 }));
      const ids = (runs: { id: string }[]) => runs.map((run) => run.id);
      expect(ids(await store().runs.listByStatus(['queued', 'running']))).toEqual(['r1', 'r2', 'r3']);
      expect(ids(await store().runs.listByStatus(['queued'], { threadId: 'thr-2' }))).toEqual(['r3']);
      expect(ids(await store().runs.listByStatus(['queued', 'running'], { requesterId: 'bob' }))).toEqual(['r2', 'r3']);
      expect(ids(await store().runs.listByStatus(['queued'], { threadId: 'thr-1', requesterId: 'bob' }))).toEqual([]);
      expect(await store().runs.listByStatus([])).toEqual([]);
    });

    it('claims the oldest queued run with a lease, once', async () => {
      await withThread();
      await store().runs.create(aRun('r2', 'thr-1', { createdAt: T0 + 2 }));
      await store().runs.create(aRun('r1', 'thr-1', { createdAt: T0 + 1 }));
      await store().runs.create(aRun('r0', 'thr-1', { status: 'done', createdAt: T0 }));
      const first = await store().runs.claimNext({ owner: 'w1', expiresAt: T0 + 100 });
      expect(first).toMatchObject({ id: 'r1', status: 'running', leaseOwner: 'w1', leaseExpiresAt: T0 + 100 });
      expect((await store().runs.claimNext({ owner: 'w2', expiresAt: T0 + 100 }))?.id).toBe('r2');
      expect(await store().runs.claimNext({ owner: 'w3', expiresAt: T0 + 100 })).toBeUndefined();
    });

    it('gives each of many concurrent claimers a different run', async () => {
      await withThread();
      for (let index = 0; index < 5; index += 1) {
        await store().runs.create(aRun(`r${index}`, 'thr-1', { createdAt: T0 + index }));
      }
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, index) => store().runs.claimNext({ owner: `w${index}`, expiresAt: T0 + 100 })),
      );
      const claimed = claims.filter((run) => run !== undefined).map((run) => run.id);
      expect(claimed.sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    });

    it('renews only the leases its owner holds on active runs, and lists expired ones', async () => {
      await withThread();
      await store().runs.create(aRun('a', 'thr-1', { createdAt: T0 + 1 }));
      await store().runs.create(aRun('b', 'thr-1', { createdAt: T0 + 2 }));
      await store().runs.create(aRun('c', 'thr-1', { createdAt: T0 + 3 }));
      await store().runs.claimNext({ owner: 'w1', expiresAt: T0 + 10 });
      await store().runs.claimNext({ owner: 'w2', expiresAt: T0 + 10 });
      await store().runs.claimNext({ owner: 'w1', expiresAt: T0 + 10 });
      await store().runs.update('c', { status: 'awaiting_approval' }, ['running']);
      expect(await store().runs.renewLeases({ owner: 'w1', expiresAt: T0 + 50 })).toBe(2);
      const expired = await store().runs.listExpiredLeases(T0 + 20);
      expect(expired.map((run) => run.id)).toEqual(['b']);
      await store().runs.update('b', { status: 'failed', leaseOwner: null, leaseExpiresAt: null }, ['running']);
      expect(await store().runs.listExpiredLeases(T0 + 60)).toHaveLength(2);
    });

    it('refuses a run for a thread that does not exist', async () => {
      await expect(store().runs.create(aRun('run-1', 'nope'))).rejects.toThrow();
    });
  });
}
