import type { AuditVerifyResponse } from './wire.ts';

// ---------------------------------------------------------------------------------------------
// Audit checkpoints (I6) — GET /api/audit/checkpoint, and the `checkpoint` field of
// GET /api/audit/verify. Kept beside wire.ts so the verify response grows without editing it.

/**
 * One signed checkpoint, exactly as a line of the checkpoint file: record `seq` of the audit
 * chain had hash `hash` at time `at` (ms since the epoch), signed (HMAC-SHA256, base64url `mac`)
 * with a key derived from the deployment secret and named by `kid`. An auditor who keeps it
 * elsewhere holds an anchor (`seq:hash`) for `behalf audit verify --anchor`.
 */
export interface AuditCheckpointWire {
  v: 1;
  seq: number;
  hash: string;
  at: number;
  kid: string;
  mac: string;
}

/** `GET /api/audit/checkpoint` (auditors only): the latest checkpoint the server can vouch for. */
export interface AuditCheckpointResponse {
  /** The validly signed checkpoint with the highest seq; null when none was written (or none is kept). */
  checkpoint: AuditCheckpointWire | null;
  /** `seq:hash` of that checkpoint, ready for `behalf audit verify --anchor`; null with it. */
  anchor: string | null;
  /** Why the checkpoint file cannot be fully trusted (a line with a bad signature...), or null. */
  problem: string | null;
}

/** How the chain compared with its signed checkpoints; null when there are none. */
export type AuditCheckpointStatusWire =
  | { ok: true; seq: number; hash: string; at: number; checked: number }
  | { ok: false; seq?: number; at?: number; reason: string };

/**
 * `GET /api/audit/verify`: the chain's verification (`ok` false also when a checkpoint does not
 * match or the checkpoint file is untrustworthy; `brokenAt` 0 when no record is at fault) and
 * the checkpoints' status.
 */
export type AuditVerifyWithCheckpointResponse = AuditVerifyResponse & {
  checkpoint: AuditCheckpointStatusWire | null;
};
