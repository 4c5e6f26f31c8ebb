import type { Kysely, Migration } from 'kysely';

/**
 * Agent memory (issue 10 point 4): facts the agent remembered in a thread, each with the labels
 * and origin of what it was derived from (JSON text, like every other list column), so recall
 * and listing can decide clearance per reader. Read by thread, oldest first.
 */
export function agentMemoryMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('agent_memories')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('thread_id', 'text', (column) => column.notNull())
        .addColumn('text', 'text', (column) => column.notNull())
        .addColumn('requester_id', 'text', (column) => column.notNull())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('labels', 'text', (column) => column.notNull())
        .addColumn('origin', 'text', (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('agent_memories_by_thread')
        .on('agent_memories')
        .columns(['thread_id', 'created_at', 'id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('agent_memories').execute();
    },
  };
}
