import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore, createUnchainedLog } from '../app/bench-stores.ts';
import { AuditLog } from '../audit/audit-log.ts';
import type { AuditEntry } from '../audit/types.ts';
import { verifyChain } from '../audit/verify.ts';
import { systemClock } from '../shared/clock.ts';
import { randomIds } from '../shared/ids.ts';
import { round, runPool } from './stats.ts';

/** The one-line result of `behalf bench audit --json` (SPEC §10: audited ≥ 0.8× unchained). */
export interface AuditBenchResult {
  bench: 'audit';
  /** Audited appends/s ÷ unchained appends/s, one appender awaiting each append. */
  ratio_sequential: number;
  /** The same with `concurrency` appenders issuing at once (where group commit batches). */
  ratio_concurrent: number;
  /** Concurrent appends per second through the audit log (chained, group-committed, durable). */
  audited_per_s: number;
  /** Concurrent plain durable inserts per second into the unchained table. */
  unchained_per_s: number;
  /** Records per second `verifyChain` re-hashes and checks over everything appended. */
  verify_per_s: number;
}

export interface AuditBenchOptions {
  /** Appends per side per round with one appender (default 500). */
  sequential?: number;
  /** Appends per side per round with `concurrency` appenders (default 1000). */
  concurrent?: number;
  /** Appenders in flight at once in the concurrent phase (default 16). */
  concurrency?: number;
  /**
   * Rounds; each runs both sides, alternating which goes first (default 20). Many short rounds
   * rather than a few long ones, so a burst of load from another process lands on both sides.
   */
  rounds?: number;
  onProgress?: (line: string) => void;
}

type Side = 'audited' | 'unchained';
type Append = (entry: AuditEntry) => Promise<unknown>;

/**
 * Audit append cost: the same entries appended through the real `AuditLog` (well-formed check,
 * hash chain, group commit into `store.audit.commit`, each promise settling after its commit)
 * and as plain durable inserts into an equivalent table without chain columns (same indexes,
 * same database file, so the same WAL, `synchronous=NORMAL` and exclusive locking as `behalf
 * serve`). Each unchained insert is its own autocommit transaction, as a log without group
 * commit would write it. Sides alternate within each round so machine noise hits both; the
 * chain is verified at the end, which must succeed.
 */
export async function runAuditBench(options: AuditBenchOptions = {}): Promise<AuditBenchResult> {
  const sequential = options.sequential ?? 500;
  const concurrent = options.concurrent ?? 1000;
  const concurrency = options.concurrency ?? 16;
  const rounds = options.rounds ?? 20;
  const progress = options.onProgress ?? (() => {});
  const dir = await mkdtemp(join(tmpdir(), 'behalf-bench-audit-'));
  const store = await createSqliteStore({ path: join(dir, 'behalf.db'), exclusive: true });
  try {
    const log = new AuditLog(store.audit, systemClock, randomIds);
    const unchained = createUnchainedLog(store.db, systemClock, randomIds);
    const sides: Record<Side, Append> = { audited: (entry) => log.append(entry), unchained: unchained.append };
    let appended = 0;
    const phase = async (side: Side, count: number, inFlight: number): Promise<number> => {
      const started = performance.now();
      if (inFlight === 1) {
        for (let index = 0; index < count; index += 1) await sides[side](benchEntry(index));
      } else {
        await runPool(count, inFlight, (index) => sides[side](benchEntry(index)).then(() => {}));
      }
      if (side === 'audited') {
        await log.drain();
        appended += count;
      }
      return (performance.now() - started) / 1000;
    };

    progress('warming up');
    for (const side of ['audited', 'unchained'] as const) {
      await phase(side, Math.min(500, sequential), 1);
      await phase(side, Math.min(500, concurrent), concurrency);
    }
    const seconds = {
      sequential: { audited: 0, unchained: 0 },
      concurrent: { audited: 0, unchained: 0 },
    };
    for (let round = 0; round < rounds; round += 1) {
      const order: Side[] = round % 2 === 0 ? ['audited', 'unchained'] : ['unchained', 'audited'];
      for (const [kind, count, inFlight] of [
        ['sequential', sequential, 1],
        ['concurrent', concurrent, concurrency],
      ] as const) {
        const rates: string[] = [];
        for (const side of order) {
          const elapsed = await phase(side, count, inFlight);
          seconds[kind][side] += elapsed;
          rates.push(`${side} ${Math.round(count / elapsed)}/s`);
        }
        progress(`round ${round + 1}/${rounds} ${kind}: ${rates.join(', ')}`);
      }
    }

    const verifyStarted = performance.now();
    const verification = await verifyChain(store.audit, { pageSize: 2000 });
    const verifySeconds = (performance.now() - verifyStarted) / 1000;
    if (!verification.ok) throw new Error(`audit chain failed verification: ${verification.reason}`);
    if (verification.count !== appended)
      throw new Error(`audit chain holds ${verification.count} records, ${appended} were appended`);
    if (unchained.count() !== appended) throw new Error('the unchained table lost rows');
    progress(`verified ${verification.count} records in ${round(verifySeconds, 2)} s`);

    const rate = (kind: 'sequential' | 'concurrent', side: Side) =>
      ((kind === 'sequential' ? sequential : concurrent) * rounds) / seconds[kind][side];
    return {
      bench: 'audit',
      ratio_sequential: round(rate('sequential', 'audited') / rate('sequential', 'unchained')),
      ratio_concurrent: round(rate('concurrent', 'audited') / rate('concurrent', 'unchained')),
      audited_per_s: Math.round(rate('concurrent', 'audited')),
      unchained_per_s: Math.round(rate('concurrent', 'unchained')),
      verify_per_s: Math.round(verification.count / verifySeconds),
    };
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const USERS = ['alice', 'bob', 'carol', 'dana', 'erin', 'frank', 'gus', 'ivy'];
const ACTIONS = ['tool.call', 'document.retrieve', 'data.query', 'disclosure.decide'];

/** A realistic entry: a handful of people, threads and runs, hashes of arguments and results. */
function benchEntry(index: number): AuditEntry {
  return {
    requester: USERS[index % USERS.length] as string,
    agent: 'behalf-agent',
    mode: 'user',
    threadId: `thr_bench_${index % 20}`,
    runId: `run_bench_${Math.floor(index / 4)}`,
    action: ACTIONS[index % ACTIONS.length] as string,
    resource: `tool:bench_${index % 5}`,
    decision: index % 17 === 0 ? 'deny' : 'allow',
    policies: ['users-use-tools', 'thread-members-invoke-agent'],
    argsHash: 'a1'.repeat(32),
    resultHash: 'b2'.repeat(32),
    labels: ['public'],
  };
}
