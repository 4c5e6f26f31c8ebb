import type { AuditCheckpoints } from './audit-checkpoints.ts';
import { GENESIS_HASH, hashRecord, normalizeRecord } from './chain.ts';
import type { AuditCheckpoint, AuditLogStore, ChainHead } from './types.ts';

/** What one checkpointing attempt did. Expected outcomes are values; only the caller decides to log. */
export type CheckpointOutcome =
  | { kind: 'written'; checkpoint: AuditCheckpoint }
  /** Nothing was appended since the last checkpoint: an idle server does not grow the file. */
  | { kind: 'unchanged'; seq: number }
  /** The chain no longer extends what was checkpointed before: it is not signed (see below). */
  | { kind: 'refused'; reason: string }
  /** The store or the file could not be used; the next attempt tries again. */
  | { kind: 'failed'; reason: string };

/** What the checkpointer works on, and how often. */
export interface AuditCheckpointerOptions {
  store: AuditLogStore;
  checkpoints: AuditCheckpoints;
  /** Time between checkpoints (`BEHALF_AUDIT_CHECKPOINT_MS`, default 60 s). */
  intervalMs: number;
  /** Told about refusals and failures (once per distinct reason, not every interval). */
  onProblem?: (message: string) => void;
  pageSize?: number;
}

/**
 * Checkpoints the audit chain's head regularly (I6): on start, every `intervalMs`, and on stop.
 *
 * Before signing, it checks the records appended since its previous checkpoint (links and
 * hashes) and that the previously checkpointed record is still there unchanged. So a chain
 * that was rewritten, recomputed or truncated behind a checkpoint is never signed again: a
 * later checkpoint cannot bless a tamper that an earlier one would reveal. It starts from the
 * latest checkpoint already in the file (a restart), or verifies the whole chain from genesis.
 *
 * What it cannot do is tell a recomputation done after its last checkpoint from real appends:
 * records newer than the latest checkpoint are protected by the hash chain alone.
 */
export class AuditCheckpointer {
  private from: ChainHead | null = null;
  private lastWritten = -1;
  private lastProblem: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<CheckpointOutcome> = Promise.resolve({ kind: 'unchanged', seq: 0 });

  constructor(private readonly options: AuditCheckpointerOptions) {}

  /** Checkpoints now and then every interval, without keeping the process alive. */
  start(): void {
    if (this.timer) return;
    void this.checkpoint();
    this.timer = setInterval(() => void this.checkpoint(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and writes a last checkpoint (call after pending audit writes are drained). */
  async stop(): Promise<CheckpointOutcome> {
    clearInterval(this.timer);
    this.timer = undefined;
    return this.checkpoint();
  }

  /** One attempt, serialized with the others so two never interleave their reads and appends. */
  checkpoint(): Promise<CheckpointOutcome> {
    this.running = this.running.then(() => this.attempt());
    return this.running;
  }

  private async attempt(): Promise<CheckpointOutcome> {
    let outcome: CheckpointOutcome;
    try {
      outcome = await this.advance();
    } catch (error) {
      outcome = { kind: 'failed', reason: `could not checkpoint the audit chain: ${String(error)}` };
    }
    if (outcome.kind === 'refused' || outcome.kind === 'failed') {
      if (outcome.reason !== this.lastProblem) this.options.onProblem?.(outcome.reason);
      this.lastProblem = outcome.reason;
    } else this.lastProblem = null;
    return outcome;
  }

  private async advance(): Promise<CheckpointOutcome> {
    const { store, checkpoints } = this.options;
    const pageSize = this.options.pageSize ?? 1000;
    if (!this.from) {
      const { checkpoint, problem } = await checkpoints.latest();
      // Lines it cannot trust are left for `behalf audit verify` to fail on; it resumes from the
      // latest one it can, and says so once.
      if (problem) this.options.onProblem?.(problem);
      this.from = checkpoint ? { seq: checkpoint.seq, hash: checkpoint.hash } : { seq: 0, hash: GENESIS_HASH };
      this.lastWritten = checkpoint?.seq ?? -1;
    }
    const from = this.from;
    if (from.seq > 0) {
      const [record] = await store.scan(from.seq - 1, 1);
      if (!record || record.seq !== from.seq || record.hash !== from.hash) {
        return {
          kind: 'refused',
          reason: `the audit chain no longer holds checkpointed record ${from.seq} unchanged (it was truncated or rewritten); not signing it — run \`behalf audit verify\``,
        };
      }
    }
    let previous = from;
    for (;;) {
      const page = await store.scan(previous.seq, pageSize);
      if (page.length === 0) break;
      for (const record of page) {
        if (
          record.seq !== previous.seq + 1 ||
          record.prevHash !== previous.hash ||
          hashRecord(normalizeRecord(record)) !== record.hash
        ) {
          return {
            kind: 'refused',
            reason: `audit record ${record.seq} does not verify; not signing the chain — run \`behalf audit verify\``,
          };
        }
        previous = { seq: record.seq, hash: record.hash };
      }
    }
    this.from = previous;
    if (previous.seq === 0 || previous.seq === this.lastWritten) return { kind: 'unchanged', seq: previous.seq };
    const checkpoint = await checkpoints.append(previous);
    this.lastWritten = checkpoint.seq;
    return { kind: 'written', checkpoint };
  }
}
