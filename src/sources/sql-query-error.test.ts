import { describe, expect, it } from 'vitest';
import { SqlQueryError, toSqlQueryError } from './sql-query-error.ts';
import { SqlSourceError } from './sql-source-error.ts';

describe('toSqlQueryError', () => {
  it.each([
    ['42601', 'syntax error at or near "FORM"', 'syntax'],
    ['42601', 'cannot insert multiple commands into a prepared statement', 'too_many_statements'],
    ['42601', 'syntax error at or near ";"', 'too_many_statements'],
    ['42501', 'permission denied for function set_config', 'permission_denied'],
    ['25006', 'cannot execute INSERT in a read-only transaction', 'read_only'],
    ['0A000', 'WITH clause containing a data-modifying statement must be at the top level', 'read_only'],
    ['57014', 'canceling statement due to statement timeout', 'timeout'],
    ['42P01', 'relation "nope" does not exist', 'invalid'],
    ['22012', 'division by zero', 'invalid'],
    ['53200', 'out of memory', 'failed'],
    ['XX000', 'internal error in /src/backend/foo.c', 'failed'],
  ])('maps SQLSTATE %s (%s) to %s', (code, message, kind) => {
    expect(toSqlQueryError(new SqlSourceError(code, message), 500).kind).toBe(kind);
  });

  it('keeps only the first line of messages and hides internal failures', () => {
    const multiline = toSqlQueryError(new SqlSourceError('42P01', 'relation "x" does not exist\nDETAIL: secret'), 1);
    expect(multiline.message).toBe('relation "x" does not exist');
    expect(toSqlQueryError(new SqlSourceError('XX000', 'at /src/backend/foo.c:12'), 1).message).toBe(
      'the query failed',
    );
    expect(toSqlQueryError(new TypeError('x is undefined'), 1).message).toBe('the query failed');
  });

  it('names the time limit on timeouts and passes SqlQueryErrors through', () => {
    expect(toSqlQueryError(new SqlSourceError('57014', 'canceling'), 300).message).toBe(
      'the query exceeded the 300 ms time limit',
    );
    const original = new SqlQueryError('invalid', 'x');
    expect(toSqlQueryError(original, 1)).toBe(original);
  });
});
