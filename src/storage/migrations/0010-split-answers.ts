import type { Kysely, Migration } from 'kysely';

/**
 * Label origins and split-audience answers (issue 10 points 2 and 3). On `messages`:
 * `label_origins`, JSON array of where each label of an agent answer came from (null on other
 * messages), and `answer_part`, `shared` or `private` when the answer was split (null when it was
 * delivered whole). On `runs`: `audience`, who the requester asked the answer for (`me`, `room`),
 * and `shared_message_id`, the thread's part of a split answer (`answer_message_id` stays the
 * requester's complete answer).
 */
export function splitAnswersMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('messages').addColumn('label_origins', 'text').execute();
      await db.schema.alterTable('messages').addColumn('answer_part', 'text').execute();
      await db.schema
        .alterTable('runs')
        .addColumn('audience', 'text', (column) => column.notNull().defaultTo('me'))
        .execute();
      await db.schema.alterTable('runs').addColumn('shared_message_id', 'text').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('runs').dropColumn('shared_message_id').execute();
      await db.schema.alterTable('runs').dropColumn('audience').execute();
      await db.schema.alterTable('messages').dropColumn('answer_part').execute();
      await db.schema.alterTable('messages').dropColumn('label_origins').execute();
    },
  };
}
