/**
 * A value as JSON can carry it without loss or surprise: timestamps as ISO strings, 64-bit
 * integers as numbers when exact (strings otherwise), bytea as PostgreSQL's `\x` hex.
 */
export function jsonSafe(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'bigint') {
    const asNumber = Number(value);
    return Number.isSafeInteger(asNumber) ? asNumber : value.toString();
  }
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (Array.isArray(value)) return value.map(jsonSafe);
  return value;
}

/** `jsonSafe` over one result row. */
export function jsonSafeRow(row: readonly unknown[]): unknown[] {
  return row.map(jsonSafe);
}
