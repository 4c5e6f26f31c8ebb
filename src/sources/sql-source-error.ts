/**
 * An error raised by a SQL source adapter, shaped like PostgreSQL's own errors (and `pg`'s
 * `DatabaseError`): `code` is the SQLSTATE, so the query runner classifies engine errors and
 * adapter-made ones (a deadline, a crashed engine, a lost connection) the same way.
 */
export class SqlSourceError extends Error {
  override readonly name = 'SqlSourceError';
  constructor(
    /** SQLSTATE, e.g. `42501` insufficient privilege, `57014` query canceled. */
    readonly code: string,
    message: string,
    /** 1-based character offset into the statement text, when PostgreSQL reported one. */
    readonly position?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** SQLSTATE an adapter uses when it enforced a deadline itself. */
export const SQLSTATE_QUERY_CANCELED = '57014';
/** SQLSTATE for an engine that stopped (crashed, ran out of memory) while running a statement. */
export const SQLSTATE_ENGINE_STOPPED = '57P01';
/** SQLSTATE for use after close or after the transaction ended. */
export const SQLSTATE_CONNECTION_DOES_NOT_EXIST = '08003';
/** SQLSTATE for a connection to a database server that failed or was lost. */
export const SQLSTATE_CONNECTION_FAILURE = '08006';
/** SQLSTATE for a database server that could not be reached at all. */
export const SQLSTATE_UNABLE_TO_CONNECT = '08001';

/** The SQLSTATE of any error thrown by a source (`SqlSourceError`, pg's DatabaseError...). */
export function sqlStateOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/**
 * What a driver threw, as a `SqlSourceError`: PostgreSQL's errors keep their SQLSTATE, message
 * and position; anything else (a refused or reset socket, a pool that gave no connection in
 * time) is a connection failure, `08006`.
 */
export function toSqlSourceError(error: unknown): SqlSourceError {
  if (error instanceof SqlSourceError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = sqlStateOf(error);
  if (code === undefined) {
    return new SqlSourceError(SQLSTATE_CONNECTION_FAILURE, `the database connection failed: ${message}`, undefined, {
      cause: error,
    });
  }
  const position = Number((error as { position?: unknown }).position);
  return new SqlSourceError(code, message, Number.isInteger(position) ? position : undefined, { cause: error });
}
