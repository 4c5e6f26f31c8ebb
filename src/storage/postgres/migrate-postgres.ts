import { type Kysely, sql } from 'kysely';
import { type MigrationOutcome, migrateToLatest } from '../migrations/migrate-to-latest.ts';
import { storageMigrations, versionOfMigration } from '../migrations/storage-migrations.ts';
import { ADVISORY_NAMESPACE, MIGRATION_LOCK } from './advisory-locks.ts';
import { postgresSchemaDialect } from './postgres-schema-dialect.ts';

/**
 * Migrates under a session-level advisory lock held on one pinned connection, so two processes
 * starting at once migrate one after the other: the second waits, then finds nothing to do. The
 * whole of `migrateToLatest` runs under the lock, including its refusal of a newer schema and
 * Kysely's creation of its own bookkeeping tables, which race when run concurrently.
 *
 * A database already at exactly this build's migrations is recognised with one query and left
 * alone, skipping Kysely's catalog introspection (tens of milliseconds per process start).
 */
export async function migratePostgres(kysely: Kysely<unknown>): Promise<MigrationOutcome> {
  const migrations = storageMigrations(postgresSchemaDialect);
  const lock = sql`${sql.lit(ADVISORY_NAMESPACE)}, ${sql.lit(MIGRATION_LOCK)}`;
  return kysely.connection().execute(async (connection) => {
    await sql`SELECT pg_advisory_lock(${lock})`.execute(connection);
    try {
      const current = await currentVersion(connection, Object.keys(migrations));
      if (current !== undefined) return { from: current, to: current };
      return await migrateToLatest(connection, migrations);
    } finally {
      await sql`SELECT pg_advisory_unlock(${lock})`.execute(connection);
    }
  });
}

/** The schema version when the database applied exactly `known`; undefined when it must migrate. */
async function currentVersion(connection: Kysely<unknown>, known: readonly string[]): Promise<number | undefined> {
  const table = await sql<{ found: string | null }>`SELECT to_regclass('kysely_migration')::text AS found`.execute(
    connection,
  );
  if (!table.rows[0]?.found) return undefined;
  const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(connection);
  const names = new Set(applied.rows.map((row) => row.name));
  if (names.size !== known.length || !known.every((name) => names.has(name))) return undefined;
  return Math.max(...known.map(versionOfMigration));
}
