import { describe, expect, it } from 'vitest';
import { leadingKeyword, MAX_QUERY_LENGTH, wrapReadOnlyStatement } from './read-only-statement.ts';
import { SqlQueryError } from './sql-query-error.ts';

function refusal(text: string): SqlQueryError {
  try {
    wrapReadOnlyStatement(text, 201);
  } catch (error) {
    if (error instanceof SqlQueryError) return error;
  }
  throw new Error(`not refused: ${text}`);
}

describe('leadingKeyword', () => {
  it('skips whitespace, parentheses, line comments and nested block comments', () => {
    expect(leadingKeyword('  select 1')).toBe('SELECT');
    expect(leadingKeyword('-- note\n((select 1))')).toBe('SELECT');
    expect(leadingKeyword('/* a /* nested */ still comment */ SET ROLE postgres')).toBe('SET');
    expect(leadingKeyword('/* unterminated')).toBe('');
    expect(leadingKeyword('')).toBe('');
  });
});

describe('wrapReadOnlyStatement', () => {
  it('wraps a query as a bounded subquery, dropping trailing semicolons', () => {
    expect(wrapReadOnlyStatement('SELECT 1;  ;\n', 201)).toBe('SELECT * FROM (\nSELECT 1\n) AS behalf_query LIMIT 201');
  });

  it('keeps a trailing line comment from swallowing the closing parenthesis', () => {
    expect(wrapReadOnlyStatement('SELECT 1 -- why', 5)).toBe(
      'SELECT * FROM (\nSELECT 1 -- why\n) AS behalf_query LIMIT 5',
    );
  });

  it('refuses empty, oversized and NUL-carrying text as invalid', () => {
    expect(refusal('').kind).toBe('invalid');
    expect(refusal('  ;  -- nothing').kind).toBe('invalid');
    expect(refusal(`SELECT '${'x'.repeat(MAX_QUERY_LENGTH)}'`).kind).toBe('invalid');
    expect(refusal('SELECT 1\0').kind).toBe('invalid');
  });

  it.each([
    'INSERT INTO t VALUES (1)',
    'update t set x = 1',
    'DELETE FROM t',
    'DROP TABLE t',
    'CREATE TABLE t (x int)',
    'COPY t TO STDOUT',
    'TRUNCATE t',
    'GRANT ALL ON t TO x',
    '/* hi */ ALTER ROLE x SUPERUSER',
  ])('refuses the write %s as read_only', (text) => {
    expect(refusal(text).kind).toBe('read_only');
  });

  it.each([
    'SET ROLE postgres',
    'RESET ROLE',
    'SET SESSION AUTHORIZATION postgres',
    'DO $$ BEGIN END $$',
    'BEGIN',
    'COMMIT',
    'PREPARE p AS SELECT 1',
    'EXECUTE p',
    'EXPLAIN SELECT 1',
    'SHOW behalf.user_id',
    'CALL p()',
    'LISTEN x',
  ])('refuses the command %s as invalid', (text) => {
    expect(refusal(text).kind).toBe('invalid');
  });

  it('lets unknown words through to the parser, which reports the syntax error', () => {
    expect(wrapReadOnlyStatement('SELEC 1', 3)).toContain('SELEC 1');
  });
});
