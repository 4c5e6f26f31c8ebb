import type { SqlExecutor, TableLabelRules } from './types.ts';

/** Label for data from a table without a rule; callers treat it as failing closed (I5). */
export const UNCLASSIFIED_LABEL = 'unclassified';
/** Label of a result that read no table at all (constants, `now()`). */
export const PUBLIC_LABEL = 'public';

/** Quotes a trusted identifier (a table or column name from the label rules). */
function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function qualifiedTable(table: string): string {
  const [schema, name] = table.includes('.') ? table.split('.', 2) : ['public', table];
  return `${quoteIdentifier(schema ?? 'public')}.${quoteIdentifier(name ?? table)}`;
}

/**
 * The labels of every row the requester can see in each table read (SPEC §4), computed in the
 * caller's transaction: same role, same settings, same snapshot as the statement. Conservative on
 * purpose: an aggregate or an alias (`SELECT 'emea' AS region`) cannot narrow it.
 */
export async function labelsForTables(
  tx: SqlExecutor,
  tables: readonly string[],
  rules: TableLabelRules,
): Promise<string[]> {
  const labels = new Set<string>();
  for (const table of tables) {
    const rule = rules[table];
    if (!rule) {
      labels.add(UNCLASSIFIED_LABEL);
    } else if (rule.kind === 'static') {
      labels.add(rule.label);
    } else {
      const { rows } = await tx.query<[string | null]>(
        `SELECT DISTINCT ${quoteIdentifier(rule.column)}::text FROM ${qualifiedTable(table)}`,
        [],
        { rowMode: 'array' },
      );
      for (const [value] of rows) labels.add(value === null ? UNCLASSIFIED_LABEL : `${rule.prefix}${value}`);
    }
  }
  if (labels.size === 0) labels.add(PUBLIC_LABEL);
  return [...labels].sort();
}

/**
 * The labels known of `tables` without reading them: each static label, and `unclassified` for a
 * table labelled per row or not at all. What a failed query carries when its per-row labels could
 * not be computed (fail closed, SPEC I5).
 */
export function labelsKnownWithoutReading(tables: readonly string[], rules: TableLabelRules): string[] {
  const labels = new Set<string>();
  for (const table of tables) {
    const rule = rules[table];
    labels.add(rule?.kind === 'static' ? rule.label : UNCLASSIFIED_LABEL);
  }
  if (labels.size === 0) labels.add(PUBLIC_LABEL);
  return [...labels].sort();
}
