import { join, resolve } from 'node:path';
import { AppError } from '../protocol/errors.ts';

/** File name of the checkpoint file in the data directory, unless configured elsewhere. */
export const AUDIT_CHECKPOINT_FILE = 'audit-checkpoints.jsonl';

const DEFAULT_INTERVAL_MS = 60_000;

/** Where a deployment keeps its signed audit checkpoints and how often it writes them (I6). */
export interface AuditCheckpointSettings {
  /** Absolute path of the JSONL checkpoint file (`BEHALF_AUDIT_CHECKPOINTS`). */
  path: string;
  /** Time between checkpoints of a serving process (`BEHALF_AUDIT_CHECKPOINT_MS`). */
  intervalMs: number;
}

/**
 * Reads `BEHALF_AUDIT_CHECKPOINTS` (a file path; default `<data dir>/audit-checkpoints.jsonl`)
 * and `BEHALF_AUDIT_CHECKPOINT_MS` (default 60 000). The default keeps the file beside the
 * embedded database, which protects against edits made through the database but not against
 * whoever owns the data directory; a deployment that separates those duties points the path at
 * storage the database's operators cannot write (see docs/DEPLOYMENT.md). A shorter interval
 * narrows the window of records protected by the hash chain alone.
 *
 * @throws AppError `bad_request` naming the variable for an interval that is not a whole number
 *   from 1 000 to 86 400 000: a misconfigured deployment refuses to start.
 */
export function auditCheckpointSettingsFromEnv(
  env: Record<string, string | undefined>,
  dataDir: string,
): AuditCheckpointSettings {
  const configured = env.BEHALF_AUDIT_CHECKPOINTS?.trim();
  const path = resolve(configured || join(dataDir, AUDIT_CHECKPOINT_FILE));
  const text = env.BEHALF_AUDIT_CHECKPOINT_MS?.trim();
  if (!text) return { path, intervalMs: DEFAULT_INTERVAL_MS };
  const intervalMs = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(intervalMs) || intervalMs < 1000 || intervalMs > 86_400_000) {
    throw new AppError(
      'bad_request',
      `BEHALF_AUDIT_CHECKPOINT_MS must be a whole number from 1000 to 86400000, not ${JSON.stringify(text.slice(0, 40))}`,
    );
  }
  return { path, intervalMs };
}
