import { TypeOverrides } from 'pg';

// PostgreSQL type ids.
const INT8 = 20;
const DATE = 1082;
const INTERVAL = 1186;

/**
 * Type parsers that make a pg pool read values the way PGlite does, so a query returns the same
 * JavaScript values on either source: `bigint` as a number when exact and a BigInt otherwise
 * (pg's default is a string), `date` as a UTC-midnight Date, `interval` as PostgreSQL's text
 * (pg's default is an object). Set on the pool's own overrides, never pg's process-wide defaults.
 */
export function pgliteCompatibleTypes(): TypeOverrides {
  const types = new TypeOverrides();
  types.setTypeParser(INT8, (text: string) => {
    const value = BigInt(text);
    return value < BigInt(Number.MIN_SAFE_INTEGER) || value > BigInt(Number.MAX_SAFE_INTEGER) ? value : Number(value);
  });
  types.setTypeParser(DATE, (text: string) => {
    if (text === 'infinity') return Number.POSITIVE_INFINITY;
    if (text === '-infinity') return Number.NEGATIVE_INFINITY;
    return new Date(text);
  });
  types.setTypeParser(INTERVAL, (text: string) => text);
  return types;
}
