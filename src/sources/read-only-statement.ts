import { SqlQueryError } from './sql-query-error.ts';

/** Longest query text accepted, in characters. */
export const MAX_QUERY_LENGTH = 10_000;

// Commands that are neither reads nor writes of data: session, transaction and utility statements.
const OTHER_COMMANDS = new Set([
  'SET',
  'RESET',
  'SHOW',
  'DO',
  'CALL',
  'EXPLAIN',
  'BEGIN',
  'START',
  'COMMIT',
  'END',
  'ROLLBACK',
  'ABORT',
  'SAVEPOINT',
  'RELEASE',
  'PREPARE',
  'EXECUTE',
  'DEALLOCATE',
  'DECLARE',
  'FETCH',
  'MOVE',
  'CLOSE',
  'LISTEN',
  'UNLISTEN',
  'NOTIFY',
  'LOAD',
  'DISCARD',
  'CHECKPOINT',
  'REASSIGN',
]);
const WRITE_KEYWORDS = new Set([
  'INSERT',
  'UPDATE',
  'DELETE',
  'MERGE',
  'UPSERT',
  'TRUNCATE',
  'CREATE',
  'ALTER',
  'DROP',
  'GRANT',
  'REVOKE',
  'COPY',
  'COMMENT',
  'REINDEX',
  'CLUSTER',
  'VACUUM',
  'ANALYZE',
  'REFRESH',
  'IMPORT',
  'SECURITY',
  'LOCK',
]);

/**
 * The first keyword of the text, skipping whitespace, comments (nested block comments included)
 * and opening parentheses. Only used to word the refusal; the wrapper below is the guarantee.
 */
export function leadingKeyword(text: string): string {
  let index = 0;
  while (index < text.length) {
    const rest = text.slice(index);
    const space = /^[\s(]+/.exec(rest);
    if (space) {
      index += space[0].length;
    } else if (rest.startsWith('--')) {
      const end = text.indexOf('\n', index);
      index = end === -1 ? text.length : end + 1;
    } else if (rest.startsWith('/*')) {
      let depth = 0;
      while (index < text.length) {
        const opens = text.startsWith('/*', index);
        const closes = !opens && text.startsWith('*/', index);
        depth += opens ? 1 : closes ? -1 : 0;
        index += opens || closes ? 2 : 1;
        if (depth === 0) break;
      }
    } else {
      return (/^[A-Za-z_]+/.exec(rest)?.[0] ?? '').toUpperCase();
    }
  }
  return '';
}

/** The text without surrounding whitespace and trailing `;` (a loop: no regex backtracking). */
function withoutTrailingSemicolons(text: string): string {
  const trimmed = text.trim();
  let end = trimmed.length;
  while (end > 0 && /[\s;]/.test(trimmed.charAt(end - 1))) end -= 1;
  return trimmed.slice(0, end);
}

/**
 * Checks untrusted query text and wraps it as `SELECT * FROM (<text>) AS behalf_query LIMIT n`.
 * The wrapper is what makes "one read-only SELECT" hold by construction: only a query expression
 * parses inside the parentheses (no SET, DO, COPY, DDL, DML or transaction control; a
 * data-modifying WITH is refused below the top level), the LIMIT bounds the rows the engine
 * produces, and text that closes the parenthesis early still yields a single SELECT (or more than
 * one statement, which the extended protocol refuses).
 */
export function wrapReadOnlyStatement(text: string, limit: number): string {
  if (text.includes('\0')) throw new SqlQueryError('invalid', 'the query contains a NUL character');
  if (text.length > MAX_QUERY_LENGTH) {
    throw new SqlQueryError('invalid', `the query is longer than ${MAX_QUERY_LENGTH} characters`);
  }
  const body = withoutTrailingSemicolons(text);
  const keyword = leadingKeyword(body);
  if (keyword === '') throw new SqlQueryError('invalid', 'the query is empty');
  if (WRITE_KEYWORDS.has(keyword)) {
    throw new SqlQueryError('read_only', `${keyword} is not allowed: only read-only SELECT queries run here`);
  }
  if (OTHER_COMMANDS.has(keyword)) {
    throw new SqlQueryError('invalid', `${keyword} is not allowed: only a single SELECT query runs here`);
  }
  // Anything else (a typo such as SELEC) goes to the parser, which names the syntax error.
  // Newlines keep a trailing `--` comment from swallowing the closing parenthesis.
  return `SELECT * FROM (\n${body}\n) AS behalf_query LIMIT ${limit}`;
}
