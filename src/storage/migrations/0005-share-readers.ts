import type { Kysely, Migration } from 'kysely';

/**
 * A share releases an answer to the readers its preview named (issue 7 point 3). Until now a
 * share rewrote the answer's labels (to `public` at worst), so anyone who joined later read the
 * declassified data. Answers keep their labels; `shared_with` records the readers each share
 * released them to (JSON array of user ids, empty when never shared).
 */
export function shareReadersMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('messages')
        .addColumn('shared_with', 'text', (column) => column.notNull().defaultTo('[]'))
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('messages').dropColumn('shared_with').execute();
    },
  };
}
