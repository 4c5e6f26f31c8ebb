import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier, type Pool } from 'pg';
import { requireService } from './services.ts';

/** The server tests use when `BEHALF_TEST_DATABASE_URL` is not set: loopback, trust auth. */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** The administrative connection string of the test server (any existing database on it). */
export function postgresTestUrl(env: Record<string, string | undefined> = process.env): string {
  return env.BEHALF_TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
}

/** Resolves when the test server answers `SELECT 1` within two seconds; rejects with pg's reason. */
export async function probePostgres(url = postgresTestUrl()): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Whether the PostgreSQL tests of a file should run (see `requireService`): true when the test
 * server answers; false, with a visible notice, when it does not; throws in CI.
 */
export function requirePostgres(skipping: string): Promise<boolean> {
  return requireService('PostgreSQL', () => probePostgres(), { skipping });
}

/** A database of its own for one test file, created empty and dropped afterwards. */
export interface ScratchDatabase {
  name: string;
  /** Connection string of the scratch database. */
  url: string;
  /** Drops the database, closing whatever connections are still open to it. */
  drop(): Promise<void>;
}

/** The same server and credentials as `url`, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/**
 * Creates `behalf_test_<random>` on the test server. Tests never assume a previous run's state:
 * each file works in a database nobody else uses, and drops it when done.
 */
export async function createScratchDatabase(prefix = 'behalf_test'): Promise<ScratchDatabase> {
  const admin = postgresTestUrl();
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await administer(admin, `CREATE DATABASE ${escapeIdentifier(name)}`);
  return {
    name,
    url: withDatabase(admin, name),
    drop: () => administer(admin, `DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`),
  };
}

/**
 * Empties every table of the current schema but Kysely's migration bookkeeping, so a migrated
 * database can serve the next test as if fresh (much cheaper than a database per test). DELETE
 * rather than TRUNCATE: on tables of a few rows it is several times faster.
 */
export async function emptyAllTables(pool: Pool): Promise<void> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT quote_ident(tablename) AS name FROM pg_tables
     WHERE schemaname = current_schema() AND tablename NOT LIKE 'kysely\\_%'`,
  );
  // One round trip; foreign keys cascade, so the order does not matter.
  if (rows.length > 0) await pool.query(rows.map((row) => `DELETE FROM ${row.name};`).join('\n'));
}

/**
 * Runs one statement on the test server's administrative database (not a scratch database):
 * for what a test cannot do from inside the database it breaks, like refusing its connections.
 */
export function administerTestServer(statement: string): Promise<void> {
  return administer(postgresTestUrl(), statement);
}

/** Runs one statement on `url` in a connection of its own (CREATE or DROP DATABASE cannot run in a pool's transaction). */
export async function administer(url: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
