import { type LabelTemplate, normalizeLabelRule, renderLabel } from './label-templates.ts';
import type { SqlExecutor, TableLabelRule, TableLabelRules } from './types.ts';

/** Label for data from a table without a rule; callers treat it as failing closed (I5). */
export const UNCLASSIFIED_LABEL = 'unclassified';
/** Label of a result that read no table at all (constants, `now()`). */
export const PUBLIC_LABEL = 'public';

/**
 * The labelled columns each table's statement plan reads (see `labeledColumnsRead`). A table
 * missing from the map counts as reading every column: unsure means labelled.
 */
export type ColumnsRead = ReadonlyMap<string, ReadonlySet<string>>;

/** Quotes a trusted identifier (a table or column name from the label rules). */
function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function qualifiedTable(table: string): string {
  const [schema, name] = table.includes('.') ? table.split('.', 2) : ['public', table];
  return `${quoteIdentifier(schema ?? 'public')}.${quoteIdentifier(name ?? table)}`;
}

/** The templates that apply to `table` for this statement: its row labels and those of the columns it reads. */
function templatesOf(table: string, rule: TableLabelRule, columnsRead: ColumnsRead | undefined): LabelTemplate[] {
  const { rows, columns } = normalizeLabelRule(rule);
  const read = columnsRead?.get(table);
  const templates = [...rows];
  for (const [column, labels] of columns) {
    if (!read || read.has(column)) templates.push(...labels);
  }
  return templates;
}

/**
 * The labels of every row the requester can see in each table read (SPEC §4), computed in the
 * caller's transaction: same role, same settings, same snapshot as the statement. Conservative on
 * purpose: an aggregate or an alias (`SELECT 'emea' AS region`) cannot narrow it. A column's own
 * labels join when `columnsRead` says the statement reads it (or says nothing of its table).
 */
export async function labelsForTables(
  tx: SqlExecutor,
  tables: readonly string[],
  rules: TableLabelRules,
  columnsRead?: ColumnsRead,
  /** Filled, when given, with the labels each table contributed (label origins, issue 10 point 2). */
  byTable?: Map<string, string[]>,
): Promise<string[]> {
  const all = new Set<string>();
  for (const table of tables) {
    const labels = new Set<string>();
    await addTableLabels(tx, table, rules, columnsRead, labels);
    byTable?.set(table, [...labels].sort());
    for (const label of labels) all.add(label);
  }
  if (all.size === 0) all.add(PUBLIC_LABEL);
  return [...all].sort();
}

async function addTableLabels(
  tx: SqlExecutor,
  table: string,
  rules: TableLabelRules,
  columnsRead: ColumnsRead | undefined,
  labels: Set<string>,
): Promise<void> {
  const rule = rules[table];
  if (!rule) {
    labels.add(UNCLASSIFIED_LABEL);
    return;
  }
  // Templates reading the same columns share one query.
  const byColumns = new Map<string, LabelTemplate[]>();
  for (const template of templatesOf(table, rule, columnsRead)) {
    if (template.columns.length === 0) {
      labels.add(template.source);
      continue;
    }
    const key = template.columns.join('\u0000');
    byColumns.set(key, [...(byColumns.get(key) ?? []), template]);
  }
  for (const templates of byColumns.values()) {
    const columns = templates[0]?.columns ?? [];
    const { rows } = await tx.query<(string | null)[]>(
      `SELECT DISTINCT ${columns.map((column) => `${quoteIdentifier(column)}::text`).join(', ')} FROM ${qualifiedTable(table)}`,
      [],
      { rowMode: 'array' },
    );
    for (const row of rows) {
      const values = new Map(columns.map((column, index) => [column, row[index] ?? null]));
      for (const template of templates) labels.add(renderLabel(template, values) ?? UNCLASSIFIED_LABEL);
    }
  }
}

/**
 * The labels known of `tables` without reading them: each static label, and `unclassified` for a
 * table labelled per row or not at all. What a failed query carries when its per-row labels could
 * not be computed (fail closed, SPEC I5).
 */
export function labelsKnownWithoutReading(
  tables: readonly string[],
  rules: TableLabelRules,
  columnsRead?: ColumnsRead,
): string[] {
  const labels = new Set<string>();
  for (const table of tables) {
    const rule = rules[table];
    if (!rule) {
      labels.add(UNCLASSIFIED_LABEL);
      continue;
    }
    for (const template of templatesOf(table, rule, columnsRead)) {
      labels.add(template.columns.length === 0 ? template.source : UNCLASSIFIED_LABEL);
    }
  }
  if (labels.size === 0) labels.add(PUBLIC_LABEL);
  return [...labels].sort();
}
