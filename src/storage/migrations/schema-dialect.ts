import type { Kysely } from 'kysely';

/**
 * The few schema steps that differ between databases. Every migration is written once in Kysely's
 * schema builder; only what has no portable form is delegated here: full-text search (SQLite
 * FTS5, PostgreSQL tsvector) and the type of the audit sequence column.
 */
export interface SchemaDialect {
  readonly name: 'sqlite' | 'postgres';
  /**
   * Column type of `audit_log.seq`. SQLite wants exactly `integer` so the column aliases the
   * rowid (no second index on the hottest insert); PostgreSQL wants `bigint` so it cannot run out.
   */
  readonly sequenceType: 'integer' | 'bigint';
  /** Builds the full-text index over `documents(title, body)` and whatever keeps it in sync. */
  createDocumentSearch(db: Kysely<unknown>): Promise<void>;
  dropDocumentSearch(db: Kysely<unknown>): Promise<void>;
}
