import { FairQueryScheduler } from './fair-query-scheduler.ts';
import type { SqlFairUse } from './types.ts';

/** How a source is shared between people; every field is optional where it is configured. */
export interface FairUseSettings {
  /** Planned cost above which a statement is refused unrun (`BEHALF_SQL_COST_BUDGET`). */
  costBudget: number;
  /** Default time limit of a model-written statement, ms (`BEHALF_SQL_TIMEOUT_MS`). */
  timeoutMs: number;
  /** Queries running at once on the source, everyone together (`BEHALF_SQL_CONCURRENCY`). */
  concurrency: number;
  /** Queries of one person running at once (`BEHALF_SQL_PER_PERSON`). */
  perPerson: number;
  /** Queries of one person waiting at most (`BEHALF_SQL_QUEUE_PER_PERSON`). */
  maxQueuedPerPerson: number;
}

/**
 * The embedded source (PGlite): one session, so one query at a time and one per person; the
 * queue then alternates between people. The budget is small because PGlite cannot be preempted:
 * whatever the running statement costs, the next person waits for. 1,000 units is ~10–25 ms of
 * PGlite time (measured: a count over 10 million series rows plans at 125,000 and runs ~3 s),
 * 5× the costliest example-workspace query measured (correlated subqueries per employee, ~200; joins and
 * aggregates plan under 20); 300 million series rows plan at 3,750,000. A runaway the planner
 * misjudges costs a deadline and an engine restart (~0.5–2 s for everyone: PGlite cannot
 * interrupt a statement), hence the shorter time limit.
 */
export const PGLITE_FAIR_USE: Readonly<FairUseSettings> = {
  costBudget: 1_000,
  timeoutMs: 2_000,
  concurrency: 1,
  perPerson: 1,
  maxQueuedPerPerson: 8,
};

/**
 * A PostgreSQL pool: statements run side by side on their own connections, and the server can
 * cancel them, so one person may run two at once, the pool's size in all. The budget stops the
 * statements that would surely hit the time limit anyway (PostgreSQL runs ~10× faster than
 * PGlite per cost unit) while every ordinary analytical query passes.
 */
export function postgresFairUse(poolSize = 10): Readonly<FairUseSettings> {
  return {
    costBudget: 1_000_000,
    timeoutMs: 5_000,
    concurrency: poolSize,
    perPerson: Math.min(2, poolSize),
    maxQueuedPerPerson: 8,
  };
}

/** Builds a source's fair use from its settings: one scheduler, owned by that source. */
export function createFairUse(settings: Readonly<FairUseSettings>): SqlFairUse {
  if (!(settings.costBudget > 0)) throw new RangeError('costBudget must be a positive number');
  // Up to two minutes: what a workspace source's `limits.statementTimeoutMs` may ask for.
  if (!Number.isInteger(settings.timeoutMs) || settings.timeoutMs < 1 || settings.timeoutMs > 120_000) {
    throw new RangeError('timeoutMs must be an integer between 1 and 120000');
  }
  const scheduler = new FairQueryScheduler({
    concurrency: settings.concurrency,
    perPerson: settings.perPerson,
    maxQueuedPerPerson: settings.maxQueuedPerPerson,
  });
  return {
    costBudget: settings.costBudget,
    timeoutMs: settings.timeoutMs,
    schedule: (person, fn, signal) => scheduler.run(person, fn, signal),
  };
}

const VARIABLES: Record<keyof FairUseSettings, [name: string, min: number, max: number]> = {
  costBudget: ['BEHALF_SQL_COST_BUDGET', 1, 1e12],
  timeoutMs: ['BEHALF_SQL_TIMEOUT_MS', 1, 60_000],
  concurrency: ['BEHALF_SQL_CONCURRENCY', 1, 1000],
  perPerson: ['BEHALF_SQL_PER_PERSON', 1, 1000],
  maxQueuedPerPerson: ['BEHALF_SQL_QUEUE_PER_PERSON', 1, 10_000],
};

/**
 * Reads the fair-use variables (see `FairUseSettings`); unset or empty means the engine's
 * default. Throws `RangeError` naming the variable for a value that is not an integer in range:
 * a misconfigured deployment refuses to start.
 */
export function fairUseSettingsFromEnv(env: Record<string, string | undefined>): Partial<FairUseSettings> {
  const settings: Partial<FairUseSettings> = {};
  for (const [key, [name, min, max]] of Object.entries(VARIABLES) as [
    keyof FairUseSettings,
    [string, number, number],
  ][]) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      throw new RangeError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
    }
    settings[key] = value;
  }
  return settings;
}
