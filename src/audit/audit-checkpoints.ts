import type { Clock } from '../shared/clock.ts';
import { appendCheckpoint, type CheckpointFileContents, readCheckpointFile } from './checkpoint-file.ts';
import { type CheckpointSigner, createCheckpointSigner } from './checkpoint-signer.ts';
import type { AuditCheckpoint, ChainHead } from './types.ts';

/** Where checkpoints are kept and how they are signed. */
export interface AuditCheckpointsOptions {
  /** The JSONL file (default `<data dir>/audit-checkpoints.jsonl`, `BEHALF_AUDIT_CHECKPOINTS`). */
  path: string;
  /**
   * The deployment secret (`loadSecretKey`). Loaded only when first needed, so verifying a
   * deployment that never wrote a checkpoint does not create a key file.
   */
  secret: Uint8Array | (() => Promise<Uint8Array>);
  clock: Clock;
}

/** The latest trustworthy checkpoint, and whether the file holds anything untrustworthy. */
export interface LatestCheckpoint {
  /** Highest seq among the lines with a valid signature; null when there is none. */
  checkpoint: AuditCheckpoint | null;
  /** Every validly signed line (the verifier compares all of them with the chain). */
  all: AuditCheckpoint[];
  /** Why the file cannot be fully trusted (see `CheckpointFileContents.problem`), or null. */
  problem: string | null;
}

/**
 * The signed checkpoints of the audit chain's head (I6), kept in a file outside the audited
 * database. Appending and reading only; deciding when to checkpoint is `AuditCheckpointer`'s.
 */
export class AuditCheckpoints {
  private signer: Promise<CheckpointSigner> | undefined;

  constructor(private readonly options: AuditCheckpointsOptions) {}

  /** The checkpoint file's path (shown to operators, never served over HTTP). */
  get path(): string {
    return this.options.path;
  }

  /**
   * Reads and checks the whole file (a line per head that moved, at most one per interval and
   * process: a year of minutes is tens of megabytes, read in well under a second).
   * `checkpoint` is null, with no problem, when the file does not exist yet.
   */
  async latest(): Promise<LatestCheckpoint> {
    const contents: CheckpointFileContents | null = await readCheckpointFile(this.options.path, () => this.key());
    if (!contents) return { checkpoint: null, all: [], problem: null };
    let checkpoint: AuditCheckpoint | null = null;
    for (const candidate of contents.checkpoints) {
      // Several processes may share the file, so the last line is not always the furthest head.
      if (
        !checkpoint ||
        candidate.seq > checkpoint.seq ||
        (candidate.seq === checkpoint.seq && candidate.at > checkpoint.at)
      )
        checkpoint = candidate;
    }
    return { checkpoint, all: contents.checkpoints, problem: contents.problem };
  }

  /** Signs `head` now and appends it durably; resolves with the written checkpoint. */
  async append(head: ChainHead): Promise<AuditCheckpoint> {
    const checkpoint = (await this.key()).sign(head, this.options.clock.now());
    await appendCheckpoint(this.options.path, checkpoint);
    return checkpoint;
  }

  private key(): Promise<CheckpointSigner> {
    if (!this.signer) {
      const { secret } = this.options;
      const loading = (typeof secret === 'function' ? secret() : Promise.resolve(secret)).then(createCheckpointSigner);
      // A failed load (unreadable key file) is retried next time instead of being cached.
      loading.catch(() => {
        if (this.signer === loading) this.signer = undefined;
      });
      this.signer = loading;
    }
    return this.signer;
  }
}
