import type { AuditDecision, AuditEntry, AuditMode, AuditRecord } from '../../audit/types.ts';
import type { AuditRow } from '../schema.ts';

/**
 * An audit row as an `AuditRecord`. Optional fields stored as NULL are left out (not set to
 * `undefined`) and the four nullable identity fields stay explicit nulls, so a record read back
 * hashes exactly like the record the chain callback built.
 */
export function auditRecordFromRow(row: AuditRow): AuditRecord {
  const record: AuditRecord = {
    seq: Number(row.seq),
    id: row.id,
    at: Number(row.at),
    requester: row.requester,
    agent: row.agent,
    mode: row.mode as AuditMode,
    threadId: row.thread_id,
    runId: row.run_id,
    action: row.action,
    resource: row.resource,
    decision: row.decision as AuditDecision,
    policies: JSON.parse(row.policies) as string[],
    prevHash: row.prev_hash,
    hash: row.hash,
  };
  if (row.reason !== null) record.reason = row.reason;
  if (row.args_hash !== null) record.argsHash = row.args_hash;
  if (row.result_hash !== null) record.resultHash = row.result_hash;
  if (row.labels !== null) record.labels = JSON.parse(row.labels) as string[];
  if (row.call_id !== null) record.callId = row.call_id;
  if (row.statement !== null) record.statement = row.statement;
  if (row.statement_hash !== null) record.statementHash = row.statement_hash;
  return record;
}

/** An `AuditRecord` as a row; absent optional fields become NULL. */
export function auditRecordToRow(record: AuditRecord): AuditRow {
  return {
    seq: record.seq,
    id: record.id,
    at: record.at,
    ...auditEntryColumns(record),
    prev_hash: record.prevHash,
    hash: record.hash,
    statement: record.statement ?? null,
    statement_hash: record.statementHash ?? null,
  };
}

/**
 * The columns an `AuditEntry` fills but for its statement (the sequence, id, time and chain
 * hashes come from the log); absent optional fields become NULL.
 */
export function auditEntryColumns(
  entry: AuditEntry,
): Omit<AuditRow, 'seq' | 'id' | 'at' | 'prev_hash' | 'hash' | 'statement' | 'statement_hash'> {
  return {
    requester: entry.requester ?? null,
    agent: entry.agent ?? null,
    mode: entry.mode,
    thread_id: entry.threadId ?? null,
    run_id: entry.runId ?? null,
    action: entry.action,
    resource: entry.resource,
    decision: entry.decision,
    policies: JSON.stringify(entry.policies),
    reason: entry.reason ?? null,
    args_hash: entry.argsHash ?? null,
    result_hash: entry.resultHash ?? null,
    labels: entry.labels === undefined ? null : JSON.stringify(entry.labels),
    call_id: entry.callId ?? null,
  };
}
