import type { Kysely, Migration } from 'kysely';

/**
 * Auditors can find things (issue 11 point 6). A `data.query` record names its SQL statement:
 * `statement` holds its shape (literals replaced, kept only when policy `recordStatement`
 * allows) and `statement_hash` the SHA-256 of the exact text. Both are nullable, so records
 * written before this migration read back without them and hash as they always did. The
 * `(action, seq)` index serves the audit page's action filter the way the requester, thread
 * and run indexes serve theirs.
 */
export function auditStatementsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('audit_log').addColumn('statement', 'text').execute();
      await db.schema.alterTable('audit_log').addColumn('statement_hash', 'text').execute();
      await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'seq']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('audit_log_action').execute();
      await db.schema.alterTable('audit_log').dropColumn('statement_hash').execute();
      await db.schema.alterTable('audit_log').dropColumn('statement').execute();
    },
  };
}
