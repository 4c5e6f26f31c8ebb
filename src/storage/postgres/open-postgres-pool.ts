import { Client, Pool, TypeOverrides } from 'pg';
import { type DatabaseLocation, unavailable } from './unavailable-database.ts';

/** PostgreSQL's type id of `bigint` (`int8`). */
const INT8_OID = 20;

/** Options of the pool behind a PostgreSQL store. */
export interface PostgresPoolOptions {
  connectionString: string;
  /** Connections at most (10 by default). */
  poolSize?: number;
  /** How long to wait for a new connection before failing (5 s by default). */
  connectTimeoutMs?: number;
  /** Errors of idle connections (a server restart); the pool replaces them. Ignored by default. */
  onConnectionError?: (error: Error) => void;
}

/**
 * A pg pool reading `bigint` columns as numbers. Every bigint of the schema is a millisecond
 * timestamp, a sequence number or a count, far below 2^53, and the row mappers want numbers. The
 * parser is set on this pool's own `TypeOverrides`, never on pg's process-wide defaults.
 */
export function openPostgresPool(options: PostgresPoolOptions): Pool {
  const types = new TypeOverrides();
  types.setTypeParser(INT8_OID, (text: string) => Number(text));
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    types,
  });
  // Without a listener, an idle connection dropped by the server would crash the process.
  pool.on('error', (error) => options.onConnectionError?.(error));
  return pool;
}

/**
 * Where a connection string points, for error messages: host, port and database, never the
 * password. Parsed by pg itself, so every form pg accepts is described the way pg reads it.
 */
export function describeDatabase(connectionString: string): DatabaseLocation {
  const client = new Client({ connectionString });
  return { host: client.host, port: client.port, database: client.database ?? '' };
}

/**
 * Checks that the database answers, turning a refusal into `AppError('unavailable')` that names
 * the server (so the CLI can print it and exit non-zero) and pg's reason, without the password.
 */
export async function assertReachable(pool: Pool, location: DatabaseLocation): Promise<void> {
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    throw unavailable(error, location);
  }
}
