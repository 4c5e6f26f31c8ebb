import { type Kysely, sql } from 'kysely';
import type { SchemaDialect } from '../migrations/schema-dialect.ts';

/**
 * SQLite's side of the schema: the audit sequence aliases the rowid, and documents are indexed by
 * an FTS5 table kept in sync by triggers, so every write path (the store, a seed script, a manual
 * fix) updates the index. FTS5 rows are addressed by rowid; `document_search_keys` gives each
 * document a stable integer key for it, because a text-keyed table's own rowids may change on
 * VACUUM.
 */
export const sqliteSchemaDialect: SchemaDialect = {
  name: 'sqlite',
  sequenceType: 'integer',

  async createDocumentSearch(db: Kysely<unknown>) {
    await sql`CREATE TABLE document_search_keys (
      search_rowid INTEGER PRIMARY KEY,
      document_id TEXT NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE
    )`.execute(db);
    await sql`CREATE VIRTUAL TABLE documents_fts USING fts5(
      title, body, tokenize = 'unicode61 remove_diacritics 2'
    )`.execute(db);
    // The table's own `rank` column, so a search can ORDER BY rank and let FTS5 deliver rows
    // already sorted; a title match weighs four body matches.
    await sql`INSERT INTO documents_fts (documents_fts, rank) VALUES ('rank', 'bm25(4.0, 1.0)')`.execute(db);
    await sql`CREATE TRIGGER documents_search_insert AFTER INSERT ON documents BEGIN
      INSERT INTO document_search_keys (document_id) VALUES (new.id);
      INSERT INTO documents_fts (rowid, title, body) VALUES (last_insert_rowid(), new.title, new.body);
    END`.execute(db);
    await sql`CREATE TRIGGER documents_search_update AFTER UPDATE OF title, body ON documents BEGIN
      UPDATE documents_fts SET title = new.title, body = new.body
      WHERE rowid = (SELECT search_rowid FROM document_search_keys WHERE document_id = new.id);
    END`.execute(db);
    await sql`CREATE TRIGGER documents_search_delete BEFORE DELETE ON documents BEGIN
      DELETE FROM documents_fts
      WHERE rowid = (SELECT search_rowid FROM document_search_keys WHERE document_id = old.id);
    END`.execute(db);
    // Documents written before this migration (none today) still need indexing.
    await sql`INSERT INTO document_search_keys (document_id) SELECT id FROM documents`.execute(db);
    await sql`INSERT INTO documents_fts (rowid, title, body)
      SELECT k.search_rowid, d.title, d.body FROM document_search_keys k JOIN documents d ON d.id = k.document_id`.execute(
      db,
    );
  },

  async dropDocumentSearch(db: Kysely<unknown>) {
    for (const trigger of ['documents_search_insert', 'documents_search_update', 'documents_search_delete']) {
      await sql`DROP TRIGGER ${sql.id(trigger)}`.execute(db);
    }
    await sql`DROP TABLE documents_fts`.execute(db);
    await sql`DROP TABLE document_search_keys`.execute(db);
  },
};
