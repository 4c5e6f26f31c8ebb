import type { Kysely, Migration } from 'kysely';

/**
 * Documents synchronized from a workspace folder (issue 9 point 5). `origin` says where a
 * document came from (`folder:<path>`; null for documents written by hand or by a seed), so a
 * sync removes the documents whose file disappeared and never the others. `document_removals`
 * remembers the last version of every removed document: one created again under the same id
 * continues from there, so a decision memoized about the removed one (keyed by id and version,
 * I3) can never apply to its successor. Existing documents keep their versions and no origin.
 */
export function documentOriginsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('documents').addColumn('origin', 'text').execute();
      await db.schema
        .createTable('document_removals')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('version', 'integer', (column) => column.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('document_removals').execute();
      await db.schema.alterTable('documents').dropColumn('origin').execute();
    },
  };
}
