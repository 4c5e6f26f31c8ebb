import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createPostgresStore } from './postgres/postgres-store.ts';
import { createSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './types.ts';

/** Options of `openStore`. */
export interface OpenStoreOptions {
  /** Directory holding the embedded database (`./data` by default in the CLI). */
  dataDir: string;
  /**
   * A PostgreSQL connection string (the deployment's `DATABASE_URL`, passed in by the caller:
   * this module reads no environment). When set, the store is PostgreSQL and `dataDir` is unused.
   */
  databaseUrl?: string;
  /**
   * Lock the embedded database for this process alone (see `SqliteStoreOptions.exclusive`):
   * for a server that is the only process using its data directory. Ignored on PostgreSQL.
   */
  exclusive?: boolean;
}

/**
 * Opens the deployment's store: PostgreSQL when `databaseUrl` is given (many processes may share
 * it), otherwise the embedded SQLite database `<dataDir>/behalf.db`, created with its directory
 * on first use. Either is migrated to the current schema. An unreachable PostgreSQL fails with
 * `AppError('unavailable')` naming host and port, so the CLI can report it and exit non-zero.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.databaseUrl) return createPostgresStore({ connectionString: options.databaseUrl });
  return openEmbeddedStore(options);
}

async function openEmbeddedStore({ dataDir, exclusive }: OpenStoreOptions): Promise<Store> {
  await mkdir(dataDir, { recursive: true });
  return createSqliteStore({ path: join(dataDir, 'behalf.db'), exclusive: exclusive ?? false });
}
