import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostMessageResponse, RunWire, ThreadWire } from '../../src/protocol/wire.ts';
import { createHttpFixture, type HttpFixture, type SignedIn } from './http-fixture.ts';

/**
 * Issue 7 item 4 (availability): one member cannot starve the others. Before the fix, three
 * `count(*)` over a 300-million-row series by one person held another person's `SELECT 1` on the
 * embedded source for ~15 s (each ran to the time limit, then the engine restarted). Through the
 * public API with the offline model, which passes `/sql` straight to the sql tool.
 */

const HUGE = 'SELECT count(*) FROM generate_series(1, 300000000)';

describe('one member cannot starve the others (issue 7.4)', () => {
  let f: HttpFixture;
  let alice: SignedIn;
  let bob: SignedIn;
  /** A thread per person, so that nothing but the data source is shared between them. */
  const threads: Record<string, string> = {};

  beforeAll(async () => {
    f = await createHttpFixture({ agentInvocationsPerMinute: 1000 });
    [alice, bob] = await Promise.all([f.signIn('alice'), f.signIn('bob')]);
    for (const as of [alice, bob]) {
      const thread = (await (
        await f.call('POST', '/api/threads', { as, body: { title: `${as.user}'s analysis`, members: [] } })
      ).json()) as ThreadWire;
      threads[as.user] = thread.id;
    }
  });
  afterAll(async () => {
    await f.app.drain();
    await f.close();
  });

  async function post(as: SignedIn, text: string): Promise<string> {
    const posted = (await (
      await f.call('POST', `/api/threads/${threads[as.user]}/messages`, { as, body: { text } })
    ).json()) as PostMessageResponse;
    if (!posted.run) throw new Error('the agent was not invoked');
    return posted.run.id;
  }

  /** Polls the run until it has ended; resolves with it and how long that took from `since`. */
  async function finished(as: SignedIn, runId: string, since: number, limitMs = 30_000): Promise<[RunWire, number]> {
    for (;;) {
      const run = (await (await f.call('GET', `/api/runs/${runId}`, { as })).json()) as RunWire;
      if (['done', 'failed', 'cancelled'].includes(run.status)) return [run, performance.now() - since];
      if (performance.now() - since > limitMs) throw new Error(`run ${runId} still ${run.status} after ${limitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  function sqlStep(run: RunWire) {
    const step = run.steps?.find((candidate) => candidate.kind === 'tool-call' && candidate.tool === 'sql');
    if (step?.kind !== 'tool-call') throw new Error('no sql call in the run');
    return step;
  }

  it('refuses a statement over the cost budget before running it, quickly, saying why', async () => {
    const started = performance.now();
    const [run, elapsed] = await finished(bob, await post(bob, `@agent /sql ${HUGE}`), started);
    const step = sqlStep(run);
    expect(step.decision).toBe('error');
    expect(step.reason).toMatch(/planned cost exceeds this data source's budget of \d+/);
    // Refused at planning time: the statement would otherwise run to the time limit (seconds).
    expect(elapsed).toBeLessThan(1500);
  });

  it('while bob floods the source, alice’s SELECT 1 completes within a bound', async () => {
    const started = performance.now();
    // Over budget (refused at planning) and within budget but not free (served in bob's turns).
    const flood = await Promise.all([
      ...[1, 2, 3].map(() => post(bob, `@agent /sql ${HUGE}`)),
      ...[1, 2, 3, 4, 5, 6].map((n) => post(bob, `@agent /sql SELECT count(*) + ${n} FROM generate_series(1, 50000)`)),
    ]);
    const [run, elapsed] = await finished(alice, await post(alice, '@agent /sql SELECT 1'), started);
    expect(run.status).toBe('done');
    expect(sqlStep(run).decision).toBe('allow');
    // Before the fix: ≥ 5 s (the first huge count ran to the time limit, then the engine restarted).
    expect(elapsed).toBeLessThan(3000);
    const outcomes = await Promise.all(flood.map((id) => finished(bob, id, started)));
    const decisions = outcomes.map(([bobs]) => sqlStep(bobs).decision);
    expect(decisions.filter((decision) => decision === 'error')).toHaveLength(3);
    expect(decisions.filter((decision) => decision === 'allow')).toHaveLength(6);
  });
});
