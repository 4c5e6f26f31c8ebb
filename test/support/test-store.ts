import { randomBytes } from 'node:crypto';
import { escapeIdentifier } from 'pg';
import type { Clock } from '../../src/shared/clock.ts';
import {
  createPostgresStore,
  createSqliteStore,
  type PostgresStore,
  type SqliteStore,
} from '../../src/storage/index.ts';
import { administer } from './postgres.ts';

/** The stores a test app can run on: both implementations of the storage port. */
export type TestStoreKind = 'sqlite' | 'postgres';

/** The store type of each kind, so `createTestApp({ store: 'postgres' })` is typed precisely. */
export type TestStoreOf<Kind extends TestStoreKind> = Kind extends 'postgres' ? PostgresStore : SqliteStore;

/** Which store to open for one test app, and where. */
export interface TestStoreOptions<Kind extends TestStoreKind = TestStoreKind> {
  kind: Kind;
  /** Administrative connection string of the PostgreSQL server (any database on it); for `postgres`. */
  postgresUrl?: string;
  clock?: Clock;
}

/** A test app's store and how to dispose of it (and of its database, on PostgreSQL). */
export interface TestStore<Kind extends TestStoreKind = TestStoreKind> {
  store: TestStoreOf<Kind>;
  /** Closes the store, then drops the database it was given, if any. */
  close(): Promise<void>;
}

/**
 * Opens an empty store for one test app: an in-memory SQLite database, or a PostgreSQL database
 * of its own (`behalf_app_<random>`, created on the server and migrated to the current schema),
 * dropped again by `close()`. A database per app rather than a schema: the migrator finds its
 * bookkeeping table in any schema of the database, and a fresh database costs ~0.3 s.
 */
export async function openTestStore<Kind extends TestStoreKind>(
  options: TestStoreOptions<Kind>,
): Promise<TestStore<Kind>> {
  const clock = options.clock ? { clock: options.clock } : {};
  if (options.kind === 'sqlite') {
    const store = await createSqliteStore({ path: ':memory:', ...clock });
    return { store: store as TestStoreOf<Kind>, close: () => store.close() };
  }
  if (!options.postgresUrl) throw new Error("A test app on the 'postgres' store needs `postgresUrl`.");
  const server = options.postgresUrl;
  const name = `behalf_app_${randomBytes(6).toString('hex')}`;
  await administer(server, `CREATE DATABASE ${escapeIdentifier(name)}`);
  const drop = () => administer(server, `DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
  let store: PostgresStore;
  try {
    store = await createPostgresStore({ connectionString: withDatabase(server, name), ...clock });
  } catch (error) {
    await drop();
    throw error;
  }
  return {
    store: store as TestStoreOf<Kind>,
    async close() {
      try {
        await store.close();
      } finally {
        await drop();
      }
    },
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
