import type { Statement } from 'better-sqlite3';
import type { Document, DocumentHit, DocumentInput, DocumentStore } from '../../documents/types.ts';
import { documentFromRow } from '../rows/document-rows.ts';
import type { DocumentRow } from '../schema.ts';
import { searchWords } from '../search-words.ts';
import type { SqliteContext } from './sqlite-context.ts';

/**
 * Ranked by the FTS5 `rank` column (bm25 with title weighted, configured by the migration):
 * FTS5 hands rows over already in rank order, so SQLite needs no sort of its own, stops at the
 * limit, and builds snippets only for the rows it returns.
 */
const SEARCH = `SELECT d.id AS id, d.title AS title, d.label AS label,
    snippet(documents_fts, 1, '', '', '…', 16) AS snippet, documents_fts.rank AS rank
  FROM documents_fts
  JOIN document_search_keys k ON k.search_rowid = documents_fts.rowid
  JOIN documents d ON d.id = k.document_id
  WHERE documents_fts MATCH @match`;
const BY_RANK = 'ORDER BY documents_fts.rank LIMIT @limit';

/**
 * `DocumentStore` on SQLite with FTS5 (the index itself is kept in sync by triggers, see
 * `sqliteSchemaDialect`). The permission pre-filter runs inside the search query: a document is
 * a candidate only if one of its `document_readers` rows names one of the reader's principals,
 * so a limit of 10 returns the 10 best documents the reader may see, not 10 to be thinned later.
 */
export class SqliteDocumentStore implements DocumentStore {
  readonly #context: SqliteContext;
  readonly #get: Statement<[string], DocumentRow>;
  readonly #upsert: (document: DocumentInput) => DocumentRow;
  readonly #search: Statement<{ match: string; limit: number }, DocumentHit>;
  readonly #searchReadable: Statement<{ match: string; limit: number; principals: string }, DocumentHit>;
  readonly #listByOrigin: Statement<{ prefix: string; length: number }, DocumentRow>;
  readonly #remove: (id: string) => boolean;

  constructor(context: SqliteContext) {
    const { db } = context;
    this.#context = context;
    this.#get = db.prepare('SELECT * FROM documents WHERE id = ?');
    const insert = db.prepare<[DocumentRow]>(
      `INSERT INTO documents (id, title, body, label, readers, version, origin)
       VALUES (@id, @title, @body, @label, @readers, @version, @origin)
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, body = excluded.body, label = excluded.label,
         readers = excluded.readers, version = excluded.version, origin = excluded.origin`,
    );
    const setOrigin = db.prepare<[string, string]>('UPDATE documents SET origin = ? WHERE id = ?');
    const removedVersion = db.prepare<[string], { version: number }>(
      'SELECT version FROM document_removals WHERE id = ?',
    );
    const clearReaders = db.prepare<[string]>('DELETE FROM document_readers WHERE document_id = ?');
    const addReader = db.prepare<[string, string]>(
      'INSERT INTO document_readers (document_id, principal) VALUES (?, ?) ON CONFLICT DO NOTHING',
    );
    this.#upsert = db.transaction((document: DocumentInput) => {
      const existing = this.#get.get(document.id);
      // A document created again after a removal continues the removed one's versions.
      const previous = existing ? Number(existing.version) : Number(removedVersion.get(document.id)?.version ?? 0);
      const row: DocumentRow = {
        id: document.id,
        title: document.title,
        body: document.body,
        label: document.label,
        readers: JSON.stringify(document.readers),
        version: previous + 1,
        origin: document.origin ?? existing?.origin ?? null,
      };
      if (existing && sameDocument(existing, row)) {
        // Only the origin changed: bookkeeping, not a change any decision depends on.
        if (existing.origin === row.origin) return existing;
        setOrigin.run(row.origin as string, row.id);
        return { ...existing, origin: row.origin };
      }
      insert.run(row);
      clearReaders.run(document.id);
      for (const principal of document.readers) addReader.run(document.id, principal);
      return row;
    });
    this.#search = db.prepare(`${SEARCH} ${BY_RANK}`);
    this.#searchReadable = db.prepare(
      `${SEARCH}
         AND EXISTS (SELECT 1 FROM document_readers r
                     WHERE r.document_id = d.id AND r.principal IN (SELECT value FROM json_each(@principals)))
       ${BY_RANK}`,
    );
    // substr counts characters on both sides, so the prefix is compared literally (no LIKE wildcards).
    this.#listByOrigin = db.prepare('SELECT * FROM documents WHERE substr(origin, 1, @length) = @prefix ORDER BY id');
    const deleteDocument = db.prepare<[string]>('DELETE FROM documents WHERE id = ?');
    const rememberRemoval = db.prepare<[string, number]>(
      `INSERT INTO document_removals (id, version) VALUES (?, ?)
       ON CONFLICT (id) DO UPDATE SET version = excluded.version`,
    );
    // Readers, the search key and the FTS row go with the document (foreign keys and a trigger).
    this.#remove = db.transaction((id: string) => {
      const existing = this.#get.get(id);
      if (!existing) return false;
      rememberRemoval.run(id, Number(existing.version));
      clearReaders.run(id);
      deleteDocument.run(id);
      return true;
    });
  }

  async upsert(document: DocumentInput): Promise<Document> {
    return documentFromRow(this.#upsert(document));
  }

  async get(id: string): Promise<Document | undefined> {
    const row = this.#get.get(id);
    return row && documentFromRow(row);
  }

  async list(): Promise<Document[]> {
    const rows = await this.#context.kysely.selectFrom('documents').selectAll().orderBy('id').execute();
    return rows.map(documentFromRow);
  }

  async listByOrigin(originPrefix: string): Promise<Document[]> {
    return this.#listByOrigin.all({ prefix: originPrefix, length: [...originPrefix].length }).map(documentFromRow);
  }

  async remove(id: string): Promise<boolean> {
    return this.#remove(id);
  }

  async search(query: string, options: { readerPrincipals: string[] | null; limit: number }): Promise<DocumentHit[]> {
    const words = searchWords(query);
    const limit = Math.floor(options.limit);
    if (words.length === 0 || !(limit > 0) || options.readerPrincipals?.length === 0) return [];
    // Each word is quoted, so it is a plain term whatever the user typed; any word may match.
    const match = words.map((word) => `"${word}"`).join(' OR ');
    return options.readerPrincipals === null
      ? this.#search.all({ match, limit })
      : this.#searchReadable.all({ match, limit, principals: JSON.stringify(options.readerPrincipals) });
  }
}

function sameDocument(existing: DocumentRow, next: DocumentRow): boolean {
  return (
    existing.title === next.title &&
    existing.body === next.body &&
    existing.label === next.label &&
    existing.readers === next.readers
  );
}
