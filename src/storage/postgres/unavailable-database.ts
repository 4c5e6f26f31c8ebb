import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type { Pool, PoolClient } from 'pg';
import { AppError } from '../../protocol/errors.ts';

/** Where the database is, for messages: never the password. */
export interface DatabaseLocation {
  host: string;
  port: number;
  database: string;
}

/** SQLSTATEs that mean "the server went away", not "the statement was wrong". */
const LOST_CONNECTION_STATES = new Set(['57P01', '57P02', '57P03']);

/**
 * True for a failure of the connection rather than of the statement: a socket error, a
 * connection closed mid-query, SQLSTATE class 08 (connection exception), or the server shutting
 * down or refusing connections (57P01–57P03).
 */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || LOST_CONNECTION_STATES.has(code)) return true;
    if (/^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT...
  }
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(error.message);
}

/** `AppError('unavailable')` (HTTP 503) naming the server and pg's reason. */
export function unavailable(error: unknown, location: DatabaseLocation): AppError {
  const reason = error instanceof Error ? error.message : String(error);
  return new AppError(
    'unavailable',
    `Cannot reach PostgreSQL database "${location.database}" at ${location.host}:${location.port}: ${reason}`,
    { ...location },
    { cause: error },
  );
}

/**
 * The pool as Kysely sees it, with connection failures turned into `unavailable`: a request made
 * while the database is down fails with 503, not 500, and succeeds again once it is back (pg
 * replaces broken connections; a connection that failed is destroyed, never reused). Failures
 * of a statement itself (a constraint, a syntax error) pass through unchanged.
 */
export function guardPool(pool: Pool, location: DatabaseLocation): PostgresPool {
  return {
    async connect() {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw unavailable(error, location);
      }
      return guardClient(client, location);
    },
    end: () => pool.end(),
  };
}

function guardClient(client: PoolClient, location: DatabaseLocation): PostgresPoolClient {
  let broken = false;
  const translate = (error: unknown) => {
    if (!isConnectionFailure(error)) return error;
    broken = true;
    return unavailable(error, location);
  };
  const query = (text: string, parameters: ReadonlyArray<unknown>) =>
    client.query(text, parameters as unknown[]).catch((error: unknown) => {
      throw translate(error);
    });
  return {
    // Kysely streams through the cursor overload only when a cursor is configured; this store has none.
    query: query as unknown as PostgresPoolClient['query'],
    release: (destroy?: boolean) => client.release(destroy || broken),
  };
}
