import { parseLabelTemplate } from '../label-templates.ts';
import type { TableLabelRules } from '../types.ts';

/** One table of a workspace source (`tables:` in behalf.yaml). */
export interface TableLabelSpec {
  labels: readonly string[];
  columns?: Readonly<Record<string, readonly string[]>>;
  description?: string;
}

/** The tables of a workspace source, keyed `name` or `schema.name`. */
export type TablesSpec = Readonly<Record<string, TableLabelSpec>>;

/** A table as the query runner keys it (see `tablesInPlan`): the bare name in `public`, `schema.name` elsewhere. */
export function tableKey(name: string): string {
  return name.startsWith('public.') ? name.slice('public.'.length) : name;
}

/** `schema.name` of a runner key, for catalog lookups and messages. */
export function qualifiedTableName(key: string): string {
  return key.includes('.') ? key : `public.${key}`;
}

/** A table's `schema` and `name` parts. */
export function splitTableName(key: string): { schema: string; name: string } {
  const [schema, name] = qualifiedTableName(key).split('.', 2);
  return { schema: schema ?? 'public', name: name ?? key };
}

/**
 * The label rules of a workspace source's tables, keyed as the runner finds tables in plans.
 * Throws for a malformed label (a brace that is not a `{column}` parameter) or a table declared
 * twice (`patients` and `public.patients`).
 */
export function compileTableLabels(tables: TablesSpec): TableLabelRules {
  const rules: Record<string, TableLabelRules[string]> = {};
  for (const [name, spec] of Object.entries(tables)) {
    const key = tableKey(name);
    if (rules[key]) throw new Error(`tables: ${name} is declared twice`);
    for (const label of [...spec.labels, ...Object.values(spec.columns ?? {}).flat()]) parseLabelTemplate(label);
    rules[key] = {
      kind: 'labels',
      labels: [...spec.labels],
      ...(spec.columns
        ? { columns: Object.fromEntries(Object.entries(spec.columns).map(([column, labels]) => [column, [...labels]])) }
        : {}),
    };
  }
  return rules;
}

/** Every column a table's labels name: `{param}` columns of row labels and column labels, and `columns:` keys. */
export function columnsNamed(spec: TableLabelSpec): { parameters: string[]; labelled: string[] } {
  const parameters = new Set<string>();
  for (const label of [...spec.labels, ...Object.values(spec.columns ?? {}).flat()]) {
    for (const column of parseLabelTemplate(label).columns) parameters.add(column);
  }
  return { parameters: [...parameters], labelled: Object.keys(spec.columns ?? {}) };
}
