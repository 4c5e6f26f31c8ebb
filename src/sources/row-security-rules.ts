import type { SqlExecutor } from './types.ts';

/** A row-level security policy that narrowed what a query could read, with its rule in words. */
export interface RowSecurityRule {
  table: string;
  policy: string;
  /** The policy's own description (`COMMENT ON POLICY`), when the source gives one. */
  rule?: string;
}

/**
 * The SELECT policies that apply to the current role on `tables`, except those that let every
 * row through (`USING (true)`), read from the catalog in the caller's transaction. It names the
 * rules only, never what they withheld: a count of hidden rows would itself be a disclosure.
 */
export async function rowSecurityOf(tx: SqlExecutor, tables: readonly string[]): Promise<RowSecurityRule[]> {
  if (tables.length === 0) return [];
  const { rows } = await tx.query<{ table_name: string; policy: string; rule: string | null }>(
    `SELECT t.name AS table_name, p.polname AS policy, pg_catalog.obj_description(p.oid, 'pg_policy') AS rule
       FROM pg_catalog.unnest($1::text[]) AS t(name)
       JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(t.name)
       JOIN pg_catalog.pg_policy p ON p.polrelid = c.oid
      WHERE c.relrowsecurity
        AND p.polcmd IN ('r', '*')
        AND pg_catalog.pg_get_expr(p.polqual, p.polrelid) IS DISTINCT FROM 'true'
        AND EXISTS (
          SELECT FROM pg_catalog.unnest(p.polroles) AS r(oid)
          WHERE r.oid = 0 OR pg_catalog.pg_has_role(current_user, r.oid, 'USAGE')
        )
      ORDER BY t.name, p.polname`,
    [tables],
  );
  return rows.map((row) => ({
    table: row.table_name,
    policy: row.policy,
    ...(row.rule ? { rule: row.rule } : {}),
  }));
}

/** How long a source's rule descriptions are reused before the catalog is read again. */
const RULES_TTL_MS = 60_000;

/**
 * `rowSecurityOf`, remembered per source and set of tables for a minute: the rules are
 * descriptive only (the source enforces its policies whatever this says), they change with a
 * deployment, and reading the catalog on every query cost about a sixth of a `sql` call.
 */
export class RowSecurityRulesCache {
  readonly #entries = new Map<string, { at: number; rules: RowSecurityRule[] }>();

  constructor(private readonly now: () => number = Date.now) {}

  async rulesFor(tx: SqlExecutor, tables: readonly string[]): Promise<RowSecurityRule[]> {
    if (tables.length === 0) return [];
    const key = [...tables].sort().join('\u0000');
    const cached = this.#entries.get(key);
    if (cached && this.now() - cached.at < RULES_TTL_MS) return cached.rules;
    const rules = await rowSecurityOf(tx, tables);
    if (this.#entries.size >= 1000) this.#entries.clear();
    this.#entries.set(key, { at: this.now(), rules });
    return rules;
  }
}
