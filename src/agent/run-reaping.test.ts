import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aRun, aThread, aUser } from '../../test/support/conformance/storage/store-fixtures.ts';
import { buildEngine, type Engine } from '../app/build-engine.ts';
import { createSqliteStore, type SqliteStore } from '../storage/index.ts';
import type { Store } from '../storage/types.ts';
import type { ToolCallStore } from '../tools/types.ts';
import { createOfflineModel } from './model/index.ts';
import type { RunStore } from './types.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Several processes reap expired leases on one store (issue 4). Two engines share one store here,
 * with reads that answer late (a slow database), so both reapers see the same expired run before
 * either ends it. Regression test for issue 4: the loser of the race used to close the run's
 * cut-off tool calls too, writing a second `unknown` terminal record for one call id.
 */
describe('reaping a run whose process died, with two reapers racing', () => {
  let base: SqliteStore;
  let engines: Engine[] = [];

  beforeEach(async () => {
    base = await createSqliteStore({ path: ':memory:' });
    await base.users.upsert(aUser('alice'));
    await base.threads.create(aThread('thr-1'), ['alice']);
  });

  afterEach(async () => {
    for (const engine of engines) engine.agent.stop();
    await Promise.all(engines.map((engine) => engine.drain()));
    engines = [];
    await base.close();
  });

  /** The store as a slow database shows it: reads answer 150 ms after they were taken. */
  function slowStore(): Store {
    const runs: RunStore = {
      create: (run) => base.runs.create(run),
      get: (id) => base.runs.get(id),
      update: (id, patch, expected) => base.runs.update(id, patch, expected),
      listByStatus: (statuses, filter) => base.runs.listByStatus(statuses, filter),
      claimNext: (lease) => base.runs.claimNext(lease),
      renewLeases: (lease) => base.runs.renewLeases(lease),
      listExpiredLeases: async (now) => {
        const expired = await base.runs.listExpiredLeases(now);
        await sleep(150);
        return expired;
      },
    };
    const toolCalls: ToolCallStore = {
      begin: (intent) => base.toolCalls.begin(intent),
      complete: (callId, at) => base.toolCalls.complete(callId, at),
      listIncomplete: async (filter) => {
        const incomplete = await base.toolCalls.listIncomplete(filter);
        await sleep(150);
        return incomplete;
      },
    };
    return { ...base, runs, toolCalls };
  }

  it('ends the run once, with exactly one unknown record for its cut-off call', async () => {
    await base.runs.create(aRun('run-1', 'thr-1', { status: 'running' }));
    await base.runs.update('run-1', { leaseOwner: 'dead-worker', leaseExpiresAt: Date.now() - 1000 });
    await base.toolCalls.begin({ callId: 'run-1:call-1', runId: 'run-1', tool: 'sql', argsHash: 'h', startedAt: 1 });

    for (let worker = 0; worker < 2; worker += 1) {
      engines.push(
        await buildEngine({ store: slowStore(), model: createOfflineModel(), limits: { leaseMs: 1000, pollMs: 50 } }),
      );
    }
    for (const engine of engines) engine.agent.start();

    const deadline = Date.now() + 5000;
    while ((await base.toolCalls.listIncomplete()).length > 0 && Date.now() < deadline) await sleep(25);
    // Both reapers had their look by now; give the loser time to (wrongly) write too.
    await sleep(600);
    await Promise.all(engines.map((engine) => engine.audit.drain()));

    expect(await base.runs.get('run-1')).toMatchObject({ status: 'failed', error: 'the process running it stopped' });
    const records = await base.audit.query({ runId: 'run-1' });
    expect(records.filter((record) => record.action === 'tool.call')).toEqual([
      expect.objectContaining({ callId: 'run-1:call-1', decision: 'unknown', requester: 'alice' }),
    ]);
    const notices = (await base.messages.list('thr-1')).filter((message) => message.runId === 'run-1');
    expect(notices).toHaveLength(1);
  });
});
