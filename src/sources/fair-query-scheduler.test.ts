import { describe, expect, it } from 'vitest';
import { FairQueryScheduler } from './fair-query-scheduler.ts';
import { SqlQueryError } from './sql-query-error.ts';

/** A query that runs until the test releases it, recording when it started. */
function gate(started: string[], name: string) {
  let release!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<string>((resolve, reject) => {
    release = () => resolve(name);
    fail = reject;
  });
  return {
    fn: () => {
      started.push(name);
      return done;
    },
    release,
    fail,
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('FairQueryScheduler (issue 7 item 4)', () => {
  it('serves people round robin: a newcomer goes before the flooder’s backlog', async () => {
    const scheduler = new FairQueryScheduler({ concurrency: 1, perPerson: 1, maxQueuedPerPerson: 10 });
    const started: string[] = [];
    const flood = ['a1', 'a2', 'a3', 'a4'].map((name) => gate(started, name));
    const runs = flood.map((query) => scheduler.run('alice', query.fn));
    const bob = gate(started, 'b1');
    const bobRun = scheduler.run('bob', bob.fn);
    const carol = gate(started, 'c1');
    const carolRun = scheduler.run('carol', carol.fn);
    expect(started).toEqual(['a1']);
    flood[0]?.release();
    await tick();
    expect(started).toEqual(['a1', 'b1']);
    bob.release();
    await tick();
    expect(started).toEqual(['a1', 'b1', 'c1']);
    carol.release();
    await tick();
    for (const query of flood.slice(1)) {
      query.release();
      await tick();
    }
    expect(started).toEqual(['a1', 'b1', 'c1', 'a2', 'a3', 'a4']);
    await expect(Promise.all([...runs, bobRun, carolRun])).resolves.toEqual(['a1', 'a2', 'a3', 'a4', 'b1', 'c1']);
    expect(scheduler.load).toEqual({ running: 0, queued: 0 });
  });

  it('alternates between two people who both flood', async () => {
    const scheduler = new FairQueryScheduler({ concurrency: 1, perPerson: 1, maxQueuedPerPerson: 10 });
    const started: string[] = [];
    const queries = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'].map((name) => gate(started, name));
    const runs = queries.map((query, index) => scheduler.run(index < 3 ? 'alice' : 'bob', query.fn));
    // Each query finishes as soon as it starts: the order is the scheduler's alone.
    for (const query of queries) query.release();
    await Promise.all(runs);
    expect(started).toEqual(['a1', 'b1', 'a2', 'b2', 'a3', 'b3']);
  });

  it('caps how many of one person’s queries run at once, leaving the rest of the pool to others', async () => {
    const scheduler = new FairQueryScheduler({ concurrency: 4, perPerson: 2, maxQueuedPerPerson: 10 });
    const started: string[] = [];
    const flood = ['a1', 'a2', 'a3', 'a4', 'a5'].map((name) => gate(started, name));
    for (const query of flood) void scheduler.run('alice', query.fn);
    expect(started).toEqual(['a1', 'a2']);
    expect(scheduler.load).toEqual({ running: 2, queued: 3 });
    const bob = gate(started, 'b1');
    const bobRun = scheduler.run('bob', bob.fn);
    expect(started).toEqual(['a1', 'a2', 'b1']);
    bob.release();
    await expect(bobRun).resolves.toBe('b1');
    for (const query of flood) query.release();
  });

  it('refuses (busy) a person’s query beyond the queue bound, at once, without affecting others', async () => {
    const scheduler = new FairQueryScheduler({ concurrency: 1, perPerson: 1, maxQueuedPerPerson: 2 });
    const started: string[] = [];
    const flood = ['a1', 'a2', 'a3'].map((name) => gate(started, name));
    const runs = flood.map((query) => scheduler.run('alice', query.fn));
    const refused = await scheduler
      .run('alice', () => Promise.resolve('a4'))
      .catch((error: unknown) => error as SqlQueryError);
    expect(refused).toBeInstanceOf(SqlQueryError);
    expect((refused as SqlQueryError).kind).toBe('busy');
    expect((refused as SqlQueryError).message).toMatch(/at most 2 of yours may wait/);
    const bobRun = scheduler.run('bob', () => Promise.resolve('b1'));
    flood[0]?.release();
    await expect(bobRun).resolves.toBe('b1');
    for (const query of flood) query.release();
    await Promise.all(runs);
  });

  it('an abort while waiting gives the place in line back; it frees the queue bound too', async () => {
    const scheduler = new FairQueryScheduler({ concurrency: 1, perPerson: 1, maxQueuedPerPerson: 1 });
    const started: string[] = [];
    const first = gate(started, 'a1');
    const firstRun = scheduler.run('alice', first.fn);
    const controller = new AbortController();
    const waiting = scheduler.run('alice', () => Promise.resolve('a2'), controller.signal);
    controller.abort(new Error('run cancelled'));
    const error = await waiting.catch((caught: unknown) => caught as SqlQueryError);
    expect(error).toBeInstanceOf(SqlQueryError);
    expect((error as SqlQueryError).message).toBe('the query was cancelled before it ran');
    expect(scheduler.load).toEqual({ running: 1, queued: 0 });
    // The queue bound (1) is free again for alice.
    const third = scheduler.run('alice', () => Promise.resolve('a3'));
    first.release();
    await expect(Promise.all([firstRun, third])).resolves.toEqual(['a1', 'a3']);
    expect(started).toEqual(['a1']);
  });

  it('an already aborted signal is refused without queueing', async () => {
    const scheduler = new FairQueryScheduler({ concurrency: 1, perPerson: 1, maxQueuedPerPerson: 1 });
    const controller = new AbortController();
    controller.abort();
    await expect(scheduler.run('alice', () => Promise.resolve(1), controller.signal)).rejects.toBeInstanceOf(
      SqlQueryError,
    );
    expect(scheduler.load).toEqual({ running: 0, queued: 0 });
  });

  it('a query that fails (or throws synchronously) frees its slot for the next one', async () => {
    const scheduler = new FairQueryScheduler({ concurrency: 1, perPerson: 1, maxQueuedPerPerson: 5 });
    const started: string[] = [];
    const failing = gate(started, 'a1');
    const failed = scheduler.run('alice', failing.fn);
    const thrown = scheduler.run('alice', () => {
      throw new Error('synchronous');
    });
    const next = scheduler.run('bob', () => Promise.resolve('b1'));
    failing.fail(new Error('timeout'));
    await expect(failed).rejects.toThrow('timeout');
    await expect(next).resolves.toBe('b1');
    await expect(thrown).rejects.toThrow('synchronous');
    expect(scheduler.load).toEqual({ running: 0, queued: 0 });
  });

  it('refuses nonsensical limits', () => {
    expect(() => new FairQueryScheduler({ concurrency: 0, perPerson: 1, maxQueuedPerPerson: 1 })).toThrow(
      /concurrency/,
    );
    expect(() => new FairQueryScheduler({ concurrency: 1, perPerson: 1.5, maxQueuedPerPerson: 1 })).toThrow(
      /perPerson/,
    );
  });
});
