import type { Kysely, Migration } from 'kysely';

/**
 * Per-user connector credentials (SPEC I9): one row per (tenant, user, resource), the token only
 * sealed. The primary key is the partition, so no index can find a row by anything wider.
 */
export function connectorCredentialsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('connector_credentials')
        .addColumn('tenant_id', 'text', (column) => column.notNull())
        .addColumn('user_id', 'text', (column) => column.notNull())
        .addColumn('resource', 'text', (column) => column.notNull())
        .addColumn('sealed', 'text', (column) => column.notNull())
        .addColumn('expires_at', 'bigint')
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
        .addPrimaryKeyConstraint('connector_credentials_pk', ['tenant_id', 'user_id', 'resource'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('connector_credentials').execute();
    },
  };
}
