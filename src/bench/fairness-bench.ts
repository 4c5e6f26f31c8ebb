import { SqlQueryError } from '../sources/sql-query-error.ts';
import { runReadOnlyQuery } from '../sources/sql-runner.ts';
import type { SqlDataSource, SqlPrincipal } from '../sources/types.ts';
import { loadBenchWorkspace } from './bench-workspace.ts';
import { percentile, round } from './stats.ts';

/** The one-line result of `behalf bench fairness --json` (issue 7 item 4: ratio ≤ 2). */
export interface FairnessBenchResult {
  bench: 'fairness';
  /** p50 latency of the prober's `SELECT 1` through the query runner on an idle embedded source, ms. */
  idle_ms: number;
  /** The same while the flooder floods the source with the costliest statements the budget allows, ms. */
  loaded_ms: number;
  /** loaded_ms ÷ idle_ms. */
  ratio: number;
  /** loaded_ms with the same budget but without the fair queue (everyone in the engine's FIFO). */
  unscheduled_loaded_ms: number;
  /** unscheduled_loaded_ms ÷ idle_ms. */
  unscheduled_ratio: number;
  /** The source's cost budget; the flooder's flood statements plan just under it. */
  cost_budget: number;
  /** The flooder's statements completed while the prober measured under load (the flood really ran). */
  flood_completed: number;
  /** How long the prober's `SELECT 1` waits when it arrives as a runaway statement hits its deadline, ms. */
  timeout_stall_ms: number;
}

export interface FairnessBenchOptions {
  /** The workspace whose first source and first two people are used (default: the one package.json names). */
  workspaceDir?: string;
  /** The prober's sequential `SELECT 1`s per measurement (default 60). */
  samples?: number;
  /** The flooder's statements in flight at once (default 9: one running, her queue bound waiting). */
  flood?: number;
  /** A cost budget other than the source's default (to see how the ratio follows it). */
  costBudget?: number;
  onProgress?: (line: string) => void;
}

/** A flood statement planned at ~90 % of `budget`: a count over a series (0.0125 per row). */
function floodStatement(budget: number, index: number): string {
  return `SELECT count(*) + ${index} FROM generate_series(1, ${Math.floor((budget * 0.9) / 0.0125)})`;
}

/**
 * Fairness on the workspace's first source, embedded (PGlite), the one that serializes everything: the prober's
 * trivial query measured idle, then while the flooder keeps `flood` statements in flight (each planned
 * just under the cost budget, so all allowed), with the fair queue and, on the same source,
 * without it. Last, the stall a runaway statement's deadline causes others (the engine restart).
 */
export async function runFairnessBench(options: FairnessBenchOptions = {}): Promise<FairnessBenchResult> {
  const samples = options.samples ?? 60;
  const flood = options.flood ?? 9;
  const progress = options.onProgress ?? (() => {});
  const workspace = await loadBenchWorkspace(options.workspaceDir);
  const source = await (await workspace.sourceTemplate()).clone({
    ...(options.costBudget === undefined ? {} : { fairUse: { costBudget: options.costBudget } }),
  });
  try {
    const fairUse = source.fairUse;
    if (!fairUse) throw new Error('the source has no fair use settings');
    const budget = fairUse.costBudget;
    // The same source and budget, every query straight into the engine's FIFO.
    const unscheduled: SqlDataSource = { ...source, fairUse: { ...fairUse, schedule: (_person, fn) => fn() } };
    // The workspace's first two people: the prober measures, the flooder floods (the statements read no table).
    const [prober, flooder] = workspace.users.map(
      (user): SqlPrincipal => ({ id: user.id, groups: [...user.groups] }),
    ) as [SqlPrincipal, SqlPrincipal];

    const probe = async (on: SqlDataSource, count: number): Promise<number[]> => {
      const latencies: number[] = [];
      for (let index = 0; index < count; index += 1) {
        const started = performance.now();
        await runReadOnlyQuery(on, prober, 'SELECT 1');
        latencies.push(performance.now() - started);
      }
      return latencies;
    };

    const underFlood = async (on: SqlDataSource): Promise<{ p50: number; completed: number; busy: number }> => {
      let flooding = true;
      let completed = 0;
      let busy = 0;
      const floodLoop = async (lane: number) => {
        for (let index = 0; flooding; index += 1) {
          try {
            await runReadOnlyQuery(on, flooder, floodStatement(budget, lane * 100_000 + index));
            completed += 1;
          } catch (error) {
            if (!(error instanceof SqlQueryError && error.kind === 'busy')) throw error;
            busy += 1;
            await new Promise((resolve) => setTimeout(resolve, 1));
          }
        }
      };
      const lanes = Array.from({ length: flood }, (_, lane) => floodLoop(lane));
      // Let the flood fill the engine and the queue first.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const started = completed;
      const latencies = await probe(on, samples).finally(() => {
        flooding = false;
      });
      await Promise.all(lanes);
      return { p50: percentile(latencies, 50), completed: completed - started, busy };
    };

    // Warm the engine (plans, caches) before measuring anything.
    await probe(source, 10);
    await runReadOnlyQuery(source, flooder, floodStatement(budget, 0));
    const idle = percentile(await probe(source, samples), 50);
    progress(`idle: the prober's SELECT 1 p50 ${round(idle)} ms over ${samples} samples`);
    const fair = await underFlood(source);
    progress(
      `fair queue: the prober p50 ${round(fair.p50)} ms while the flooder completed ${fair.completed} statements ` +
        `(planned ≤ ${budget}; ${fair.busy} refused as busy)`,
    );
    const unfair = await underFlood(unscheduled);
    progress(
      `no queue: the prober p50 ${round(unfair.p50)} ms while the flooder completed ${unfair.completed} statements`,
    );

    // A runaway the planner misjudges (the count hides in a subquery) runs to its deadline; the
    // engine restarts, and the prober, who arrived meanwhile, waits for both.
    const runaway = runReadOnlyQuery(source, flooder, 'SELECT count(*) FROM generate_series(1, (SELECT 2000000000))', {
      timeoutMs: 200,
    }).catch((error: unknown) => error);
    const stallStarted = performance.now();
    await runReadOnlyQuery(source, prober, 'SELECT 1');
    const stall = performance.now() - stallStarted;
    const runawayOutcome = await runaway;
    progress(
      `runaway: the flooder's statement ended ${runawayOutcome instanceof SqlQueryError ? runawayOutcome.kind : 'unexpectedly'}; ` +
        `the prober waited ${round(stall)} ms (deadline 200 ms + engine restart; ${source.restarts ?? 0} restart(s))`,
    );

    return {
      bench: 'fairness',
      idle_ms: round(idle),
      loaded_ms: round(fair.p50),
      ratio: round(fair.p50 / idle, 2),
      unscheduled_loaded_ms: round(unfair.p50),
      unscheduled_ratio: round(unfair.p50 / idle, 2),
      cost_budget: budget,
      flood_completed: fair.completed,
      timeout_stall_ms: round(stall, 1),
    };
  } finally {
    await source.close();
  }
}
