import { type Kysely, type Migration, Migrator } from 'kysely';
import { AppError } from '../../protocol/errors.ts';
import { versionOfMigration } from './storage-migrations.ts';

/** Where Kysely records applied migrations; its presence marks a database as ours. */
const MIGRATION_TABLE = 'kysely_migration';

/** Schema versions before and after `migrateToLatest`. */
export interface MigrationOutcome {
  from: number;
  to: number;
}

/**
 * Brings a database to the newest schema this build knows. A database that already ran a
 * migration this build does not know was written by a newer Behalf: opening it is refused with
 * a clear error instead of Kysely's "corrupted migrations", and nothing is changed.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  migrations: Record<string, Migration>,
): Promise<MigrationOutcome> {
  const applied = await appliedMigrations(db);
  const known = Object.keys(migrations);
  const unknown = applied.filter((name) => !known.includes(name));
  const from = highestVersion(applied);
  const supported = highestVersion(known);
  if (unknown.length > 0) {
    throw new AppError(
      'internal',
      `The database schema is version ${from}, newer than the version ${supported} this Behalf supports; upgrade Behalf to open it.`,
      { found: from, supported, unknownMigrations: unknown },
    );
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: MIGRATION_TABLE,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    throw new AppError('internal', `Database migration ${failed ?? 'setup'} failed.`, { from }, { cause: error });
  }
  return { from, to: supported };
}

/** The schema version of a database: the number of the last migration it applied (0 when fresh). */
export async function readSchemaVersion(db: Kysely<unknown>): Promise<number> {
  return highestVersion(await appliedMigrations(db));
}

/** Names of the migrations a database has applied; none for a fresh database. */
export async function appliedMigrations(db: Kysely<unknown>): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((table) => table.name === MIGRATION_TABLE)) return [];
  const untyped = db as unknown as Kysely<Record<typeof MIGRATION_TABLE, { name: string }>>;
  const rows = await untyped.selectFrom(MIGRATION_TABLE).select('name').orderBy('name').execute();
  return rows.map((row) => row.name);
}

function highestVersion(names: readonly string[]): number {
  return names.reduce((highest, name) => Math.max(highest, versionOfMigration(name) || 0), 0);
}
