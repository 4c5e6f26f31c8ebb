import { sql } from 'kysely';
import type { Document, DocumentHit, DocumentInput, DocumentStore } from '../../documents/types.ts';
import { documentFromRow } from '../rows/document-rows.ts';
import { searchWords } from '../search-words.ts';
import { inByteOrder, type PostgresContext } from './postgres-context.ts';

/** The columns of `DocumentRow`: never the generated `search` vector, which no caller reads. */
const DOCUMENT_COLUMNS = ['id', 'title', 'body', 'label', 'readers', 'version', 'origin'] as const;

/** Weights of the D, C, B, A classes for `ts_rank`: a title (A) match weighs four body (B) matches. */
const RANK_WEIGHTS = '{0.1, 0.2, 0.25, 1.0}';

/** A body excerpt of at most 16 words around the best match, unmarked (as SQLite's snippet). */
const HEADLINE_OPTIONS = 'StartSel="", StopSel="", MaxWords=16, MinWords=8, ShortWord=0, MaxFragments=1';

/**
 * `DocumentStore` on PostgreSQL full-text search (the `search` column and its GIN index are
 * built by `postgresSchemaDialect`). The permission pre-filter runs inside the search query: a
 * document is a candidate only if one of its `document_readers` rows names one of the reader's
 * principals, so a limit of 10 returns the 10 best documents the reader may see. Headlines are
 * computed in the outer query, for the returned rows only.
 */
export class PostgresDocumentStore implements DocumentStore {
  readonly #context: PostgresContext;

  constructor(context: PostgresContext) {
    this.#context = context;
  }

  async upsert(document: DocumentInput): Promise<Document> {
    const { origin, ...content } = document;
    const readers = JSON.stringify(document.readers);
    return this.#context.kysely.transaction().execute(async (transaction) => {
      // One statement decides "new, changed or same" on the locked row, so concurrent upserts
      // of one document (from any process) bump the version once per real change. A document
      // created again after a removal continues the removed one's versions.
      const changed = await transaction
        .insertInto('documents')
        .values({
          ...content,
          readers,
          origin: origin ?? null,
          version: sql<number>`coalesce((SELECT r.version FROM document_removals r WHERE r.id = ${document.id}), 0) + 1`,
        })
        .onConflict((conflict) =>
          conflict
            .column('id')
            .doUpdateSet((eb) => ({
              title: eb.ref('excluded.title'),
              body: eb.ref('excluded.body'),
              label: eb.ref('excluded.label'),
              readers: eb.ref('excluded.readers'),
              version: eb('documents.version', '+', 1),
              origin: eb.fn.coalesce(eb.ref('excluded.origin'), eb.ref('documents.origin')),
            }))
            .where((eb) =>
              eb.or([
                eb('documents.title', 'is distinct from', eb.ref('excluded.title')),
                eb('documents.body', 'is distinct from', eb.ref('excluded.body')),
                eb('documents.label', 'is distinct from', eb.ref('excluded.label')),
                eb('documents.readers', 'is distinct from', eb.ref('excluded.readers')),
              ]),
            ),
        )
        .returning(DOCUMENT_COLUMNS)
        .executeTakeFirst();
      if (!changed) {
        // Same content. Only the origin may have changed: bookkeeping, the version stays.
        const updated =
          origin === undefined
            ? undefined
            : await transaction
                .updateTable('documents')
                .set({ origin })
                .where('id', '=', document.id)
                .where('origin', 'is distinct from', origin)
                .returning(DOCUMENT_COLUMNS)
                .executeTakeFirst();
        const existing =
          updated ??
          (await transaction
            .selectFrom('documents')
            .select(DOCUMENT_COLUMNS)
            .where('id', '=', document.id)
            .executeTakeFirstOrThrow());
        return documentFromRow(existing);
      }
      await transaction.deleteFrom('document_readers').where('document_id', '=', document.id).execute();
      if (document.readers.length > 0) {
        await transaction
          .insertInto('document_readers')
          .values(document.readers.map((principal) => ({ document_id: document.id, principal })))
          .onConflict((conflict) => conflict.doNothing())
          .execute();
      }
      return documentFromRow(changed);
    });
  }

  async get(id: string): Promise<Document | undefined> {
    const row = await this.#context.kysely
      .selectFrom('documents')
      .select(DOCUMENT_COLUMNS)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && documentFromRow(row);
  }

  async list(): Promise<Document[]> {
    const rows = await this.#context.kysely
      .selectFrom('documents')
      .select(DOCUMENT_COLUMNS)
      .orderBy(inByteOrder('id'))
      .execute();
    return rows.map(documentFromRow);
  }

  async listByOrigin(originPrefix: string): Promise<Document[]> {
    // substr counts characters, as JavaScript's code points do: the prefix is compared
    // literally (no LIKE wildcards), whatever the collation.
    const rows = await this.#context.kysely
      .selectFrom('documents')
      .select(DOCUMENT_COLUMNS)
      .where(sql<string>`substr(origin, 1, ${[...originPrefix].length})`, '=', originPrefix)
      .orderBy(inByteOrder('id'))
      .execute();
    return rows.map(documentFromRow);
  }

  async remove(id: string): Promise<boolean> {
    return this.#context.kysely.transaction().execute(async (transaction) => {
      // Readers go with the document (ON DELETE CASCADE), its search vector is a column of it.
      const removed = await transaction
        .deleteFrom('documents')
        .where('id', '=', id)
        .returning('version')
        .executeTakeFirst();
      if (!removed) return false;
      await transaction
        .insertInto('document_removals')
        .values({ id, version: removed.version })
        .onConflict((conflict) => conflict.column('id').doUpdateSet((eb) => ({ version: eb.ref('excluded.version') })))
        .execute();
      return true;
    });
  }

  async search(query: string, options: { readerPrincipals: string[] | null; limit: number }): Promise<DocumentHit[]> {
    const words = searchWords(query);
    const limit = Math.floor(options.limit);
    if (words.length === 0 || !(limit > 0) || options.readerPrincipals?.length === 0) return [];
    // Each word is quoted (words hold only letters, digits and marks, never a quote), so it is a
    // plain term whatever the user typed; any word may match. The text travels as a parameter.
    const tsquery = words.map((word) => `'${word}'`).join(' | ');
    const readable =
      options.readerPrincipals === null
        ? sql``
        : sql`AND EXISTS (SELECT 1 FROM document_readers r
                          WHERE r.document_id = d.id AND r.principal = ANY(${options.readerPrincipals}::text[]))`;
    const result = await sql<DocumentHit>`
      SELECT hit.id, hit.title, hit.label,
        ts_headline('simple', hit.body, hit.query, ${HEADLINE_OPTIONS}) AS snippet, hit.rank
      FROM (
        SELECT d.id, d.title, d.label, d.body, q.query,
          -ts_rank(${RANK_WEIGHTS}::float4[], d.search, q.query) AS rank
        FROM documents d, to_tsquery('simple', ${tsquery}) AS q(query)
        WHERE d.search @@ q.query ${readable}
        ORDER BY rank, d.id COLLATE "C"
        LIMIT ${limit}
      ) hit
      ORDER BY hit.rank, hit.id COLLATE "C"`.execute(this.#context.kysely);
    return result.rows;
  }
}
