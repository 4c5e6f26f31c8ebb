import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './types.ts';

/** Options of `openStore`. */
export interface OpenStoreOptions {
  /** Directory holding the embedded database (`./data` by default in the CLI). */
  dataDir: string;
  /**
   * Lock the embedded database for this process alone (see `SqliteStoreOptions.exclusive`):
   * for a server that is the only process using its data directory.
   */
  exclusive?: boolean;
}

/**
 * Opens the deployment's store: the embedded SQLite database `<dataDir>/behalf.db`, created with
 * its directory on first use and migrated to the current schema.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  return openEmbeddedStore(options);
}

async function openEmbeddedStore({ dataDir, exclusive }: OpenStoreOptions): Promise<Store> {
  await mkdir(dataDir, { recursive: true });
  return createSqliteStore({ path: join(dataDir, 'behalf.db'), exclusive: exclusive ?? false });
}
