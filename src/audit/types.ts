import type { UserId } from '../identity/types.ts';

/** Outcome recorded for an audited action. `unknown`: the process died mid-call (issue 4). */
export type AuditDecision = 'allow' | 'deny' | 'error' | 'unknown';

/**
 * How the actor was authorized: `user` (agent on behalf of the requester), `self` (agent as its
 * own principal; `requester` still names who asked), `direct` (a human acting without the agent).
 */
export type AuditMode = 'user' | 'self' | 'direct';

/** What a caller hands to the audit log; the log adds sequence, time and chain hashes. */
export interface AuditEntry {
  /** The human on whose request this happened. Null only for system actions (seeding). */
  requester: UserId | null;
  /** The acting agent (`behalf-agent`), or null for direct human actions. */
  agent: string | null;
  mode: AuditMode;
  threadId: string | null;
  runId: string | null;
  /** Dotted action name: `tool.call`, `data.query`, `document.retrieve`, `approval.decide`,
   * `disclosure.decide`, `message.share`, `thread.mode`, `thread.member-add`, ... */
  action: string;
  /** What was acted on: `tool:sql`, `document:handbook`, `message:msg_1`, `thread:thr_1`. */
  resource: string;
  decision: AuditDecision;
  /** Ids of the policies that determined the decision. */
  policies: string[];
  reason?: string;
  /** SHA-256 of the canonical arguments / result; never the raw values. */
  argsHash?: string;
  resultHash?: string;
  /** Labels of the data involved, when known. */
  labels?: string[];
  /** Tool call id, to pair with the intent record (crash recovery). */
  callId?: string;
  /**
   * `data.query`: the SQL statement's shape — the statement with every literal replaced by `?`
   * and comments removed, so values the model copied from its context (`WHERE salary > 180000`)
   * never reach the log (I6). Present only when policy `recordStatement` allows it for every
   * label the statement read; otherwise the record keeps `statementHash` alone.
   */
  statement?: string;
  /** `data.query`: SHA-256 (hex) of the exact statement text, whether or not `statement` is kept. */
  statementHash?: string;
}

/** A stored, chained audit record. */
export interface AuditRecord extends AuditEntry {
  seq: number;
  id: string;
  /** Milliseconds since the epoch. */
  at: number;
  prevHash: string;
  hash: string;
}

/**
 * Filters for querying the log; every given filter must match (AND). Results are in `seq` order,
 * ascending unless `newestFirst`.
 */
export interface AuditQuery {
  requester?: UserId;
  threadId?: string;
  runId?: string;
  decision?: AuditDecision;
  action?: string;
  /**
   * Case-insensitive substring (no wildcards: `%` and `_` match themselves) of the action,
   * resource, reason, requester, agent, thread id, run id or statement, or of the title of the
   * record's thread when `textMatchesThreadTitles`.
   */
  text?: string;
  /** Whether `text` also matches the current title of the record's thread (auditors only: see `audit-reads.ts`). */
  textMatchesThreadTitles?: boolean;
  /** Records at or after this time (ms since the epoch). */
  fromAt?: number;
  /** Records strictly before this time (ms since the epoch). */
  toAt?: number;
  afterSeq?: number;
  beforeSeq?: number;
  newestFirst?: boolean;
  limit?: number;
}

/** Result of verifying the chain. */
export type ChainVerification =
  | { ok: true; count: number; head: string }
  | { ok: false; count: number; brokenAt: number; reason: string };

/** A tool call's intent as recorded before it executes (see `ToolCallStore`). */
export interface ToolCallIntentInput {
  callId: string;
  runId: string;
  tool: string;
  argsHash: string;
  startedAt: number;
}

/** The action of the one terminal record every tool call ends with. */
export const TOOL_CALL_ACTION = 'tool.call';

/** An entry with the id and time the audit log gave it, ready to chain. */
export type TimedAuditEntry = AuditEntry & { id: string; at: number };

/** The last record of the chain (`seq` 0 and the genesis hash when empty). */
export type ChainHead = { seq: number; hash: string };

/** Links entries after `head` into hashed records (`chainRecords`), inside the store's transaction. */
export type ChainFunction = (head: ChainHead, entries: ReadonlyArray<TimedAuditEntry>) => AuditRecord[];

/** What one `AuditLogStore.commit` writes: tool-call intents first, then entries to chain. */
export type AuditCommitBatch = {
  intents: ReadonlyArray<ToolCallIntentInput>;
  entries: ReadonlyArray<TimedAuditEntry>;
};

/** Per intent whether it was begun; per entry its record, or null when refused as a second terminal record. */
export type AuditCommitResult = { begun: boolean[]; records: Array<AuditRecord | null> };

/**
 * Storage port for the chained log. Appending is atomic and serialized: the store reads the
 * current head and inserts the records `chain` builds from it in one transaction, so the chain
 * stays linear even with several writers (one process or many). In the same transaction, every
 * `tool.call` record with a `callId` marks that call's intent complete (`ToolCallStore`), so a
 * crash can never leave a terminal record without its completion or the reverse: recovery
 * writes an `unknown` record exactly for the intents left incomplete.
 */
export interface AuditLogStore {
  /**
   * One transaction that first records tool-call intents (each `begun` false when its call id
   * was seen before: that call must not execute) and then appends chained entries. The audit
   * log's group commit uses it so that the intents of calls about to execute and the records of
   * calls that finished share one commit.
   *
   * A call has exactly one terminal record, across processes: a `tool.call` entry whose call's
   * intent is already complete (another process ended it, say as `unknown` after reaping) is
   * not appended — its slot in `records` is null — and `chain` only sees the accepted entries.
   */
  commit(batch: AuditCommitBatch, chain: ChainFunction): Promise<AuditCommitResult>;
  /** `commit` without intents; entries refused as second terminal records are left out. */
  appendChained(entries: ReadonlyArray<TimedAuditEntry>, chain: ChainFunction): Promise<AuditRecord[]>;
  head(): Promise<ChainHead>;
  query(filter: AuditQuery): Promise<AuditRecord[]>;
  /**
   * Id and current title of every thread at least one record names, for auditors' filters
   * (`audit-reads.ts` gates it). Threads deleted since are left out.
   */
  threadsNamed(): Promise<Array<{ id: string; title: string }>>;
  /** Records in seq order, in pages, for verification and export. */
  scan(afterSeq: number, limit: number): Promise<AuditRecord[]>;
  count(): Promise<number>;
}

/**
 * A signed statement that the chain's record `seq` had hash `hash` at time `at` (I6). Kept
 * outside the audited database (a JSONL file) and signed with a key derived from the
 * deployment secret, which the database does not hold: whoever can rewrite the database but
 * not read that secret cannot make a checkpoint for a rewritten chain. One JSON object per line.
 */
export interface AuditCheckpoint {
  /** Format version of the line and of what `mac` covers. */
  v: 1;
  /** The checkpointed record's seq; in an intact chain also the number of records up to it. */
  seq: number;
  /** That record's hash, which covers every record before it through the chain. */
  hash: string;
  /** When the checkpoint was signed, in milliseconds since the epoch. */
  at: number;
  /** Which key signed it (derived from the secret), so a line signed with another secret says so. */
  kid: string;
  /** HMAC-SHA256 over the version, seq, hash and time, base64url. */
  mac: string;
}

/** What `behalf audit verify` found about the checkpoints (null in a result: none written yet). */
export type CheckpointCheck =
  | {
      ok: true;
      /** The latest checkpoint (highest seq), which the chain still contains unchanged. */
      seq: number;
      hash: string;
      at: number;
      /** How many signed checkpoints were compared with the chain. */
      checked: number;
    }
  | {
      ok: false;
      /** The latest trustworthy checkpoint, when the failure is the chain's rather than the file's. */
      seq?: number;
      at?: number;
      reason: string;
    };

/**
 * The chain's verification together with its checkpoints. `ok` is false when either fails; a
 * checkpoint file that cannot be trusted (bad signature, another key) reports `brokenAt: 0`,
 * since no record is at fault.
 */
export type AuditVerification = ChainVerification & { checkpoint: CheckpointCheck | null };
