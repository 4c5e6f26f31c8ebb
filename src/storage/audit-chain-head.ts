import type { AuditRecord } from '../audit/types.ts';
import { AppError } from '../protocol/errors.ts';

/** The head of an empty log: what the first record's `prevHash` points at. */
export const EMPTY_AUDIT_HEAD: Readonly<{ seq: number; hash: string }> = Object.freeze({
  seq: 0,
  hash: '0'.repeat(64),
});

/**
 * Refuses records that do not extend `head` link by link (seq `head.seq + 1…`, each `prevHash`
 * the previous `hash`). The chain callback is the audit domain's; checking its output here means
 * a bug there fails the append (and so the audited action) instead of storing a broken chain.
 */
export function assertExtendsHead(
  head: { seq: number; hash: string },
  records: readonly AuditRecord[],
  expectedCount: number,
): void {
  if (records.length !== expectedCount) {
    throw chainError(`the chain callback returned ${records.length} records for ${expectedCount} entries`);
  }
  let previous = head;
  for (const record of records) {
    if (record.seq !== previous.seq + 1 || record.prevHash !== previous.hash) {
      throw chainError(`record ${record.seq} does not follow seq ${previous.seq}`);
    }
    previous = record;
  }
}

function chainError(detail: string): AppError {
  return new AppError('audit_unavailable', `Audit records were not appended: ${detail}.`);
}
