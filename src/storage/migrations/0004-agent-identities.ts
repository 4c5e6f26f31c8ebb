import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Agent identities become provisioned principals (issue 7 point 2). Until now a thread owner
 * could set any `agent_groups` on a self-authorized thread and read everything those groups may
 * read through the agent. The column goes; a thread now names an `agent_id` that an administrator
 * provisioned. Existing self-authorized threads migrate to user mode (the safe direction: the
 * agent then acts for each requester with their own rights) and get no identity: their owners
 * choose a provisioned one if they want self mode back.
 */
export function agentIdentitiesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('agent_identities')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('groups', 'text', (column) => column.notNull())
        .addColumn('assigners', 'text', (column) => column.notNull())
        .addColumn('provisioned_by', 'text', (column) => column.notNull())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('version', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema.alterTable('threads').addColumn('agent_id', 'text').execute();
      await sql`UPDATE threads SET mode = 'user', version = version + 1 WHERE mode = 'self'`.execute(db);
      await db.schema.alterTable('threads').dropColumn('agent_groups').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema
        .alterTable('threads')
        .addColumn('agent_groups', 'text', (column) => column.notNull().defaultTo('[]'))
        .execute();
      await db.schema.alterTable('threads').dropColumn('agent_id').execute();
      await db.schema.dropTable('agent_identities').execute();
    },
  };
}
