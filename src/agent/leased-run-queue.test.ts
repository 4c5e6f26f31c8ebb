import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { aRun, aThread, T0 } from '../../test/support/conformance/storage/store-fixtures.ts';
import { ManualClock } from '../shared/clock.ts';
import { createSqliteStore, type SqliteStore } from '../storage/index.ts';
import { LeasedRunQueue, type LeasedRunQueueOptions } from './leased-run-queue.ts';
import type { Run } from './types.ts';

const LEASE_MS = 3000;
const POLL_MS = 1000;

/** A promise with its resolver outside: executions the test ends when it wants. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Lets pending store calls and promise chains settle (setImmediate is not faked). */
async function settle(rounds = 5): Promise<void> {
  for (let index = 0; index < rounds; index += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe('LeasedRunQueue', () => {
  let clock: ManualClock;
  let store: SqliteStore;
  const queues: LeasedRunQueue[] = [];

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    clock = new ManualClock(T0);
    store = await createSqliteStore({ path: ':memory:', clock });
    await store.threads.create(aThread('thr-1'), ['alice']);
  });

  afterEach(async () => {
    for (const queue of queues.splice(0)) queue.close();
    vi.useRealTimers();
    await store.close();
  });

  /** Moves the clock and the timers together, in steps, letting store calls finish between. */
  async function elapse(ms: number, step = 100): Promise<void> {
    for (let passed = 0; passed < ms; passed += step) {
      clock.advance(step);
      await vi.advanceTimersByTimeAsync(step);
      await settle();
    }
  }

  function aQueue(overrides: Partial<LeasedRunQueueOptions> = {}): LeasedRunQueue {
    const queue = new LeasedRunQueue({
      runs: store.runs,
      clock,
      owner: 'worker-1',
      leaseMs: LEASE_MS,
      pollMs: POLL_MS,
      execute: async () => {},
      onExpired: async () => {},
      ...overrides,
    });
    queues.push(queue);
    return queue;
  }

  async function queued(count: number, offset = 0): Promise<string[]> {
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const id = `run-${offset + index}`;
      await store.runs.create(aRun(id, 'thr-1', { createdAt: T0 + offset + index }));
      ids.push(id);
    }
    return ids;
  }

  it('claims queued runs oldest first, each once, as running under its own lease', async () => {
    await store.runs.create(aRun('run-late', 'thr-1', { createdAt: T0 + 2 }));
    await store.runs.create(aRun('run-early', 'thr-1', { createdAt: T0 }));
    await store.runs.create(aRun('run-middle', 'thr-1', { createdAt: T0 + 1 }));
    const executed: Run[] = [];
    const queue = aQueue({ concurrency: 1, execute: async (run) => void executed.push(run) });
    queue.enqueue('run-late');
    await queue.drain();
    expect(executed.map((run) => run.id)).toEqual(['run-early', 'run-middle', 'run-late']);
    for (const run of executed) {
      expect(run).toMatchObject({ status: 'running', leaseOwner: 'worker-1', leaseExpiresAt: T0 + LEASE_MS });
    }
  });

  it('runs at most `concurrency` at once; the others wait queued until a slot frees', async () => {
    const ids = await queued(5);
    const gates = new Map(ids.map((id) => [id, deferred()]));
    let running = 0;
    let most = 0;
    const queue = aQueue({
      concurrency: 2,
      execute: async (run) => {
        running += 1;
        most = Math.max(most, running);
        await gates.get(run.id)?.promise;
        running -= 1;
      },
    });
    queue.enqueue('');
    await settle();
    expect(running).toBe(2);
    expect((await store.runs.listByStatus(['queued'])).map((run) => run.id)).toEqual(['run-2', 'run-3', 'run-4']);
    gates.get('run-0')?.resolve();
    await settle();
    expect((await store.runs.listByStatus(['queued'])).map((run) => run.id)).toEqual(['run-3', 'run-4']);
    for (const gate of gates.values()) gate.resolve();
    await queue.drain();
    expect(most).toBe(2);
    expect(await store.runs.listByStatus(['queued'])).toEqual([]);
  });

  it('never lets two workers on one store claim the same run', async () => {
    const ids = await queued(12);
    const claims: Array<[string, string]> = [];
    const worker = (owner: string) =>
      aQueue({ owner, concurrency: 3, execute: async (run) => void claims.push([owner, run.id]) });
    const [first, second] = [worker('worker-1'), worker('worker-2')];
    first.enqueue('');
    second.enqueue('');
    await Promise.all([first.drain(), second.drain()]);
    expect(claims.map(([, id]) => id).sort()).toEqual([...ids].sort());
    expect(new Set(claims.map(([owner]) => owner))).toEqual(new Set(['worker-1', 'worker-2']));
  });

  it('renews the lease of what it executes every third of the lease, and stops when the run ends', async () => {
    await queued(1);
    const gate = deferred();
    const queue = aQueue({ execute: () => gate.promise });
    queue.start();
    queue.enqueue('');
    await settle();
    expect((await store.runs.get('run-0'))?.leaseExpiresAt).toBe(T0 + LEASE_MS);
    await elapse(LEASE_MS * 2);
    // Renewed on the last tick of the interval (every 1000 ms): never more than a third stale.
    expect((await store.runs.get('run-0'))?.leaseExpiresAt).toBe(T0 + LEASE_MS * 2 + LEASE_MS);
    await store.runs.update('run-0', { status: 'done' });
    gate.resolve();
    await queue.drain();
    await elapse(LEASE_MS);
    expect((await store.runs.get('run-0'))?.leaseExpiresAt).toBe(T0 + LEASE_MS * 3);
  });

  it("reaps runs whose lease expired within one poll, never a live worker's", async () => {
    await store.runs.create(aRun('dead-running', 'thr-1', { status: 'running' }));
    await store.runs.update('dead-running', { leaseOwner: 'dead', leaseExpiresAt: T0 + 500 });
    await store.runs.create(aRun('dead-awaiting', 'thr-1', { status: 'awaiting_approval' }));
    await store.runs.update('dead-awaiting', { leaseOwner: 'dead', leaseExpiresAt: T0 + 1500 });
    await store.runs.create(aRun('alive', 'thr-1', { status: 'running' }));
    await store.runs.update('alive', { leaseOwner: 'other', leaseExpiresAt: T0 + 60_000 });
    const reaped: Array<[string, number]> = [];
    const queue = aQueue({
      onExpired: async (run) => {
        reaped.push([run.id, clock.now()]);
        await store.runs.update(run.id, { status: 'failed' }, ['running', 'awaiting_approval']);
      },
    });
    queue.start();
    await elapse(POLL_MS);
    expect(reaped).toEqual([['dead-running', T0 + POLL_MS]]);
    await elapse(POLL_MS);
    expect(reaped.map(([id]) => id)).toEqual(['dead-running', 'dead-awaiting']);
    await elapse(POLL_MS * 10);
    expect(reaped).toHaveLength(2);
    expect((await store.runs.get('alive'))?.status).toBe('running');
  });

  it('takes over: when a worker stops renewing, another reaps its run once the lease runs out', async () => {
    await queued(1);
    const reaped: string[] = [];
    const first = aQueue({ owner: 'worker-1', execute: () => new Promise(() => {}) });
    const second = aQueue({
      owner: 'worker-2',
      onExpired: async (run) => {
        reaped.push(run.id);
        await store.runs.update(run.id, { status: 'failed' }, ['running']);
      },
    });
    first.start();
    second.start();
    first.enqueue('');
    await elapse(LEASE_MS * 3);
    expect(reaped).toEqual([]);
    // The first worker "dies": its timers stop, so nothing renews its lease any more.
    first.close();
    const died = clock.now();
    await elapse(LEASE_MS + POLL_MS);
    expect(reaped).toEqual(['run-0']);
    expect((await store.runs.get('run-0'))?.updatedAt).toBeLessThanOrEqual(died + LEASE_MS + POLL_MS);
  });

  it('does not start a reap while the previous one is still running (a slow database)', async () => {
    await store.runs.create(aRun('dead', 'thr-1', { status: 'running' }));
    await store.runs.update('dead', { leaseOwner: 'dead', leaseExpiresAt: T0 });
    const gate = deferred();
    let calls = 0;
    const queue = aQueue({
      onExpired: async (run) => {
        calls += 1;
        await gate.promise;
        await store.runs.update(run.id, { status: 'failed' }, ['running']);
      },
    });
    queue.start();
    await elapse(POLL_MS * 5);
    expect(calls).toBe(1);
    gate.resolve();
    await elapse(POLL_MS * 3);
    expect(calls).toBe(1);
  });

  it('reports a failed execution and frees its slot', async () => {
    await queued(2);
    const errors: unknown[] = [];
    const executed: string[] = [];
    const queue = aQueue({
      concurrency: 1,
      onError: (error) => errors.push(error),
      execute: async (run) => {
        executed.push(run.id);
        if (run.id === 'run-0') throw new Error('boom');
      },
    });
    queue.enqueue('');
    await queue.drain();
    expect(executed).toEqual(['run-0', 'run-1']);
    expect(errors).toEqual([expect.objectContaining({ message: 'boom' })]);
  });

  it('stops claiming when closed; drain still waits for what is executing', async () => {
    await queued(1);
    const gate = deferred();
    const queue = aQueue({ execute: () => gate.promise });
    queue.start();
    queue.enqueue('');
    await settle();
    queue.close();
    await queued(1, 1);
    queue.enqueue('');
    await elapse(POLL_MS * 2);
    expect((await store.runs.get('run-1'))?.status).toBe('queued');
    let drained = false;
    const draining = queue.drain().then(() => {
      drained = true;
    });
    await settle();
    expect(drained).toBe(false);
    gate.resolve();
    await draining;
    expect((await store.runs.get('run-1'))?.status).toBe('queued');
  });
});
