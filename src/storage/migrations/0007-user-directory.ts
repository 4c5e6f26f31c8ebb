import type { Kysely, Migration } from 'kysely';

/**
 * The user directory an identity provider keeps current (issue 9 point 2: SCIM 2.0). People get
 * an email and attributes (templated into data-source claims), an `active` flag (deprovisioned
 * people are treated as gone), the identity provider's `userName` and `externalId`, and a
 * deletion time (a deleted person stays as a tombstone so their id is never reused).
 * `user_name_key` (the lower-cased `userName`) is unique: SCIM user names are case-insensitive.
 * Group records (`user_groups`) give provisioned groups a display name and let them exist while
 * empty; membership stays on the users. Sessions get an index by user: deprovisioning ends
 * every session of the person at once. Existing people read back active, not provisioned, with
 * no email and no attributes; their versions do not change.
 */
export function userDirectoryMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // One column per statement: SQLite adds one column per ALTER TABLE.
      await db.schema.alterTable('users').addColumn('email', 'text').execute();
      await db.schema
        .alterTable('users')
        .addColumn('attributes', 'text', (column) => column.notNull().defaultTo('{}'))
        .execute();
      await db.schema
        .alterTable('users')
        .addColumn('active', 'integer', (column) => column.notNull().defaultTo(1))
        .execute();
      await db.schema.alterTable('users').addColumn('user_name', 'text').execute();
      await db.schema.alterTable('users').addColumn('user_name_key', 'text').execute();
      await db.schema.alterTable('users').addColumn('external_id', 'text').execute();
      await db.schema.alterTable('users').addColumn('deleted_at', 'bigint').execute();
      await db.schema.createIndex('users_user_name_key').unique().on('users').column('user_name_key').execute();
      await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();
      await db.schema
        .createTable('user_groups')
        .addColumn('name', 'text', (column) => column.primaryKey())
        .addColumn('display_name', 'text', (column) => column.notNull())
        .addColumn('display_key', 'text', (column) => column.notNull().unique())
        .addColumn('external_id', 'text')
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('user_groups').execute();
      await db.schema.dropIndex('sessions_user_id').execute();
      await db.schema.dropIndex('users_user_name_key').execute();
      for (const column of [
        'deleted_at',
        'external_id',
        'user_name_key',
        'user_name',
        'active',
        'attributes',
        'email',
      ]) {
        await db.schema.alterTable('users').dropColumn(column).execute();
      }
    },
  };
}
