import { sqlStateOf } from './sql-source-error.ts';

/**
 * Why a query was refused or failed, for the model and the audit log:
 * - `syntax`: the text does not parse;
 * - `permission_denied`: the source refused access (a table, a function such as `set_config`);
 * - `read_only`: the statement tried to write, or is not a read (DDL, COPY, SET...);
 * - `timeout`: the time limit was reached;
 * - `too_many_statements`: more than one statement;
 * - `too_costly`: the statement's planned cost exceeds the source's budget (refused unrun);
 * - `busy`: too many of the requester's queries already wait on the source (refused unqueued);
 * - `unidentified`: the requester cannot be identified to the source as it expects (a claim or
 *   setting templated from a value this person does not have): refused before anything runs;
 * - `invalid`: anything else wrong with the request (empty, oversized, unknown column...);
 * - `failed`: the source itself failed (out of memory, engine stopped).
 */
export type SqlQueryErrorKind =
  | 'syntax'
  | 'permission_denied'
  | 'read_only'
  | 'timeout'
  | 'too_many_statements'
  | 'too_costly'
  | 'busy'
  | 'unidentified'
  | 'invalid'
  | 'failed';

/** A refused or failed query. The message is safe to show the model: no stack, detail or plan. */
export class SqlQueryError extends Error {
  override readonly name = 'SqlQueryError';
  constructor(
    readonly kind: SqlQueryErrorKind,
    message: string,
    /** The SQLSTATE when the source reported one. */
    readonly sqlState?: string,
    /** The original error, for server logs only (never sent to the model). */
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Keeps the first line of a PostgreSQL message, bounded; details and hints never pass. */
function clean(message: string): string {
  const firstLine = message.split('\n', 1)[0] ?? '';
  return firstLine.length > 300 ? `${firstLine.slice(0, 300)}…` : firstLine;
}

/** Maps anything a source threw to a `SqlQueryError`, by SQLSTATE. */
export function toSqlQueryError(error: unknown, timeoutMs: number): SqlQueryError {
  if (error instanceof SqlQueryError) return error;
  const code = sqlStateOf(error);
  const message = clean(error instanceof Error ? error.message : String(error));
  if (code === undefined) return new SqlQueryError('failed', 'the query failed', undefined, { cause: error });
  if (code === '57014') return new SqlQueryError('timeout', `the query exceeded the ${timeoutMs} ms time limit`, code);
  if (code === '42601') {
    // `;` inside the wrapped statement, or the extended protocol refusing a second statement.
    if (/multiple commands|syntax error at or near ";"/.test(message)) {
      return new SqlQueryError('too_many_statements', 'only one statement is allowed per query', code);
    }
    return new SqlQueryError('syntax', message, code);
  }
  if (code === '42501') return new SqlQueryError('permission_denied', message, code);
  if (code === '25006' || (code === '0A000' && /data-modifying/.test(message))) {
    return new SqlQueryError('read_only', message, code);
  }
  if (code === '53200') return new SqlQueryError('failed', 'the query used too much memory', code);
  // Mistakes in the query itself: unknown names, bad casts, data errors, unsupported features.
  if (/^(42|22|21|0A|2F|3F|44)/.test(code)) return new SqlQueryError('invalid', message, code);
  return new SqlQueryError('failed', 'the query failed', code, { cause: error });
}
