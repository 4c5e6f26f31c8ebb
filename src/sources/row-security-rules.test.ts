import { describe, expect, it } from 'vitest';
import { RowSecurityRulesCache } from './row-security-rules.ts';
import type { SqlExecutor } from './types.ts';

/** A catalog that answers one rule per table and counts how often it was read. */
function countingCatalog() {
  const reads: unknown[][] = [];
  const tx = {
    async query(_text: string, params?: readonly unknown[]) {
      reads.push([...(params ?? [])]);
      const tables = (params?.[0] ?? []) as string[];
      return {
        rows: tables.map((table) => ({ table_name: table, policy: `${table}_visibility`, rule: `rule of ${table}` })),
        fields: [],
      };
    },
  } as unknown as SqlExecutor;
  return { tx, reads };
}

describe('RowSecurityRulesCache', () => {
  it('reads the catalog once per set of tables within a minute, in any order, then again', async () => {
    let now = 0;
    const cache = new RowSecurityRulesCache(() => now);
    const { tx, reads } = countingCatalog();
    const first = await cache.rulesFor(tx, ['compensation', 'employees']);
    expect(first.map((rule) => rule.policy)).toEqual(['compensation_visibility', 'employees_visibility']);
    expect(await cache.rulesFor(tx, ['employees', 'compensation'])).toEqual(first);
    expect(reads).toHaveLength(1);
    await cache.rulesFor(tx, ['deals']);
    expect(reads).toHaveLength(2);
    now = 60_000;
    await cache.rulesFor(tx, ['compensation', 'employees']);
    expect(reads).toHaveLength(3);
  });

  it('reads nothing for a statement that read no table', async () => {
    const { tx, reads } = countingCatalog();
    expect(await new RowSecurityRulesCache().rulesFor(tx, [])).toEqual([]);
    expect(reads).toHaveLength(0);
  });
});
