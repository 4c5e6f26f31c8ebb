import type Database from 'better-sqlite3';
import { chainRecords, GENESIS_HASH, hashRecord } from '../../src/audit/chain.ts';
import type { AuditRecord } from '../../src/audit/types.ts';
import { auditRecordFromRow, auditRecordToRow } from '../../src/storage/rows/audit-rows.ts';
import type { AuditRow } from '../../src/storage/schema.ts';

/**
 * What an operator of the embedded database can do to the audit log without the deployment
 * secret: read it, rewrite any record, recompute every hash, drop rows. Used by the I6
 * checkpoint tests (issue 7) through the CLI and HTTP.
 */
export function readAuditRecords(db: Database.Database): AuditRecord[] {
  return (db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[]).map(auditRecordFromRow);
}

/** Replaces the whole `audit_log` table with `records`. */
export function writeAuditRecords(db: Database.Database, records: readonly AuditRecord[]): void {
  db.transaction(() => {
    db.prepare('DELETE FROM audit_log').run();
    for (const record of records) {
      const values = auditRecordToRow(record);
      const columns = Object.keys(values);
      db.prepare(
        `INSERT INTO audit_log (${columns.join(', ')}) VALUES (${columns.map((column) => `@${column}`).join(', ')})`,
      ).run(values);
    }
  })();
}

/** Changes record `seq` with `edit`, then re-links and re-hashes it and every record after it. */
export function editAndRecompute(
  records: readonly AuditRecord[],
  seq: number,
  edit: (record: AuditRecord) => AuditRecord,
): AuditRecord[] {
  const result = records.map((record) => (record.seq === seq ? edit(record) : record));
  for (let index = seq - 1; index < result.length; index += 1) {
    const { hash: _hash, ...unhashed } = {
      ...(result[index] as AuditRecord),
      prevHash: result[index - 1]?.hash ?? GENESIS_HASH,
    };
    result[index] = { ...unhashed, hash: hashRecord(unhashed) };
  }
  return result;
}

/** A new, correctly chained history from genesis, as long as the old one: every denial made an allow. */
export function rewriteFromGenesis(records: readonly AuditRecord[]): AuditRecord[] {
  return chainRecords(
    { seq: 0, hash: GENESIS_HASH },
    records.map(({ seq: _seq, prevHash: _prevHash, hash: _hash, ...fields }) => ({
      ...fields,
      decision: 'allow' as const,
      reason: 'rewritten',
    })),
  );
}
