import { type Kysely, sql } from 'kysely';
import type { SchemaDialect } from '../migrations/schema-dialect.ts';

/**
 * PostgreSQL's side of the schema: a `bigint` audit sequence, and documents indexed by a stored
 * generated `tsvector` column with a GIN index. The database itself keeps the column in sync on
 * every write path (the store, a seed script, a manual fix), as SQLite's triggers do for FTS5.
 *
 * The `simple` configuration lower-cases words and neither stems nor drops stop words, like
 * SQLite's `unicode61` tokenizer; unlike it, it keeps diacritics (`congés` does not match
 * `conges`), because `unaccent` is neither immutable nor installed everywhere. The title is
 * weighted A and the body B; the search ranks an A match four times a B match.
 */
export const postgresSchemaDialect: SchemaDialect = {
  name: 'postgres',
  sequenceType: 'bigint',

  async createDocumentSearch(db: Kysely<unknown>) {
    // A generated column also indexes the documents written before this migration.
    await sql`ALTER TABLE documents ADD COLUMN search tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')
    ) STORED`.execute(db);
    await sql`CREATE INDEX documents_search ON documents USING gin (search)`.execute(db);
  },

  async dropDocumentSearch(db: Kysely<unknown>) {
    await sql`DROP INDEX documents_search`.execute(db);
    await sql`ALTER TABLE documents DROP COLUMN search`.execute(db);
  },
};
