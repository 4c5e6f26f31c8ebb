import { Client, type ClientBase, type ClientConfig, Pool, type PoolClient } from 'pg';
import { pgliteCompatibleTypes } from './postgres-types.ts';
import {
  SQLSTATE_CONNECTION_DOES_NOT_EXIST,
  SQLSTATE_QUERY_CANCELED,
  SQLSTATE_UNABLE_TO_CONNECT,
  SqlSourceError,
  toSqlSourceError,
} from './sql-source-error.ts';
import type {
  SqlExecutor,
  SqlQueryOptions,
  SqlRows,
  SqlSetupTarget,
  SqlSource,
  SqlTransactionOptions,
} from './types.ts';

/** Where a PostgreSQL source connects and how. */
export interface PostgresSourceOptions {
  /** `postgres://user:password@host:port/database`, or anything else pg accepts. */
  connectionString: string;
  /** Connections at most (10 by default); more transactions wait for one, within their deadline. */
  poolSize?: number;
  /** How long to wait for a connection (a new one, or a free one in the pool), 5 s by default. */
  connectTimeoutMs?: number;
  /**
   * Runs once at open, on a connection of its own, before the source is returned: an idempotent
   * schema or seed. A failure closes the source and rejects the open.
   */
  setup?: (target: SqlSetupTarget) => Promise<unknown>;
}

/** Host, port, database and user of a connection string: for messages, never the password. */
export interface PostgresLocation {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** A real PostgreSQL source over a `pg.Pool`. */
export interface PostgresSource extends SqlSource {
  readonly location: PostgresLocation;
}

/** Reads host, port, database and user the way pg itself reads the connection string. */
export function describePostgres(connectionString: string): PostgresLocation {
  const client = new Client({ connectionString });
  return { host: client.host, port: client.port, database: client.database ?? '', user: client.user ?? '' };
}

/**
 * Opens a PostgreSQL source: a pool whose statements always use the extended protocol (one
 * statement each, as on PGlite) and whose values read as PGlite's do (`pgliteCompatibleTypes`).
 * A transaction's `timeoutMs` is enforced twice: by the server (`SET LOCAL statement_timeout`)
 * and by a client-side deadline that settles the promise even when the server does not answer,
 * cancelling the backend and discarding its connection. Rejects with `SqlSourceError` 08001
 * (naming the server, never the password) when the database cannot be reached.
 */
export async function createPostgresSource(options: PostgresSourceOptions): Promise<PostgresSource> {
  const location = describePostgres(options.connectionString);
  const config: ClientConfig = {
    connectionString: options.connectionString,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    types: pgliteCompatibleTypes(),
  };
  const pool = new Pool({ ...config, max: options.poolSize ?? 10 });
  // An idle connection dropped by the server is replaced by the pool; unheard, it would crash.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    throw new SqlSourceError(
      SQLSTATE_UNABLE_TO_CONNECT,
      `cannot reach PostgreSQL database "${location.database}" at ${location.host}:${location.port} as ${location.user}: ${reason}`,
      undefined,
      { cause: error },
    );
  }
  try {
    if (options.setup) await runSetup(config, options.setup);
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  return new PoolPostgresSource(pool, config, location);
}

async function runSetup(config: ClientConfig, setup: NonNullable<PostgresSourceOptions['setup']>): Promise<void> {
  const client = new Client(config);
  client.on('error', () => {});
  await client.connect().catch((error: unknown) => {
    throw toSqlSourceError(error);
  });
  try {
    await setup({
      query: (text, params, options) => runStatement(client, text, params, options),
      exec: async (script) => {
        try {
          await client.query(script);
        } catch (error) {
          throw toSqlSourceError(error);
        }
      },
    });
  } finally {
    await client.end().catch(() => {});
  }
}

/** One statement through the extended protocol: a second statement in `text` is refused (42601). */
async function runStatement<Row>(
  executor: ClientBase | Pool,
  text: string,
  params: readonly unknown[] = [],
  options: SqlQueryOptions = {},
): Promise<SqlRows<Row>> {
  try {
    // `queryMode` is pg's (not in its type declarations): without parameters pg would otherwise
    // use the simple protocol, which runs every statement of a multi-statement text.
    const result = await executor.query({
      text,
      values: [...params],
      ...(options.rowMode === 'array' ? { rowMode: 'array' } : {}),
      queryMode: 'extended',
    } as { text: string; values: unknown[] });
    return { rows: result.rows as Row[], fields: result.fields.map((field) => ({ name: field.name })) };
  } catch (error) {
    throw toSqlSourceError(error);
  }
}

/** What the deadline of one transaction knows about it. */
interface Attempt {
  client?: PoolClient;
  /** Set when the deadline struck: the transaction is over for its caller. */
  expired?: SqlSourceError;
  /** The client went back to the pool (or was discarded); never release twice. */
  released?: boolean;
}

class PoolPostgresSource implements PostgresSource {
  #closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly config: ClientConfig,
    readonly location: PostgresLocation,
  ) {}

  query<Row = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    options?: SqlQueryOptions,
  ): Promise<SqlRows<Row>> {
    if (this.#closed) return Promise.reject(closedError());
    return runStatement<Row>(this.pool, text, params, options);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options: SqlTransactionOptions = {}): Promise<T> {
    if (this.#closed) throw closedError();
    const attempt: Attempt = {};
    const work = this.#run(fn, options, attempt);
    const { timeoutMs } = options;
    if (timeoutMs === undefined) return work;
    // Whatever the work does after the deadline is nobody's concern: never an unhandled rejection.
    work.catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        attempt.expired = new SqlSourceError(
          SQLSTATE_QUERY_CANCELED,
          `canceling statement: the ${timeoutMs} ms time limit was exceeded`,
        );
        this.#abandon(attempt, attempt.expired);
        reject(attempt.expired);
      }, timeoutMs);
    });
    try {
      return await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.pool.end();
  }

  async #run<T>(fn: (tx: SqlExecutor) => Promise<T>, options: SqlTransactionOptions, attempt: Attempt): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw toSqlSourceError(error);
    }
    if (attempt.expired) {
      client.release();
      throw attempt.expired;
    }
    attempt.client = client;
    let broken: Error | undefined;
    // While checked out, a connection error would otherwise be an uncaught 'error' event.
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    let open = true;
    const tx: SqlExecutor = {
      query: <Row>(text: string, params?: readonly unknown[], queryOptions?: SqlQueryOptions) => {
        if (!open || attempt.expired) {
          return Promise.reject(new SqlSourceError(SQLSTATE_CONNECTION_DOES_NOT_EXIST, 'the transaction has ended'));
        }
        return runStatement<Row>(client, text, params, queryOptions);
      },
    };
    try {
      await this.#begin(client, options);
      const result = await fn(tx);
      open = false;
      if (attempt.expired) throw attempt.expired;
      const end = await client.query(options.readOnly ? 'ROLLBACK' : 'COMMIT').catch((error: unknown) => {
        throw toSqlSourceError(error);
      });
      // COMMIT of a transaction that failed inside `fn` (error caught there) reports ROLLBACK.
      if (!options.readOnly && end.command !== 'COMMIT') {
        throw new SqlSourceError('25P02', 'the transaction was aborted and rolled back');
      }
      return result;
    } catch (error) {
      open = false;
      if (!attempt.expired && !broken) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
      }
      throw error;
    } finally {
      client.off('error', onError);
      if (!attempt.released) {
        attempt.released = true;
        // A connection in an unknown state is discarded rather than handed to the next caller.
        client.release(broken);
      }
    }
  }

  /** BEGIN, and the server-side statement timeout, in one round trip (trusted text only). */
  async #begin(client: PoolClient, options: SqlTransactionOptions): Promise<void> {
    const begin = options.readOnly ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN';
    const timeout =
      options.timeoutMs === undefined
        ? ''
        : `; SET LOCAL statement_timeout = ${Math.max(1, Math.floor(options.timeoutMs))}`;
    try {
      await client.query(begin + timeout);
    } catch (error) {
      throw toSqlSourceError(error);
    }
  }

  /**
   * At the deadline: the connection is discarded (never reused mid-transaction) and its backend
   * cancelled from another connection, so a statement the server is still running stops now
   * rather than whenever it next writes to the closed socket.
   */
  #abandon(attempt: Attempt, reason: Error): void {
    const client = attempt.client;
    if (!client || attempt.released) return;
    attempt.released = true;
    const processId = (client as unknown as { processID?: unknown }).processID;
    client.release(reason);
    if (typeof processId === 'number') void this.#cancelBackend(processId);
  }

  async #cancelBackend(processId: number): Promise<void> {
    const canceller = new Client({ ...this.config, connectionTimeoutMillis: 2000 });
    canceller.on('error', () => {});
    try {
      await canceller.connect();
      await canceller.query('SELECT pg_cancel_backend($1)', [processId]);
    } catch {
      // Best effort: the server's own statement_timeout ends the statement anyway.
    } finally {
      await canceller.end().catch(() => {});
    }
  }
}

function closedError(): SqlSourceError {
  return new SqlSourceError(SQLSTATE_CONNECTION_DOES_NOT_EXIST, 'the source is closed');
}
