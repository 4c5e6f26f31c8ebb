import type { TableLabelRule } from './types.ts';

/** One part of a label template: literal text, or the value of a column of the row. */
export type LabelPart = { text: string } | { column: string };

/** A label as declared (`ward:{ward}`), parsed into its literal and per-row parts. */
export interface LabelTemplate {
  /** The declaration, for messages. */
  source: string;
  parts: readonly LabelPart[];
  /** The columns its `{param}` parts name, in order of first appearance. */
  columns: readonly string[];
}

const PARAMETER = /\{([a-z_][a-z0-9_]*)\}/g;

/**
 * Parses a label declaration: `patient-record` (static), `ward:{ward}` (per row: `{ward}` is the
 * row's value of column `ward`), `site:{site}:ward:{ward}`. A brace that is not a parameter is a
 * mistake in the declaration and throws.
 */
export function parseLabelTemplate(label: string): LabelTemplate {
  const parts: LabelPart[] = [];
  const columns: string[] = [];
  let last = 0;
  for (const match of label.matchAll(PARAMETER)) {
    const column = match[1] as string;
    if (match.index > last) parts.push({ text: label.slice(last, match.index) });
    parts.push({ column });
    if (!columns.includes(column)) columns.push(column);
    last = match.index + match[0].length;
  }
  if (last < label.length) parts.push({ text: label.slice(last) });
  if (parts.some((part) => 'text' in part && /[{}]/.test(part.text))) {
    throw new Error(`label "${label}": a parameter is a column name in braces, such as {ward}`);
  }
  return { source: label, parts, columns };
}

/** The label for one row: `values` holds the row's value (as text) of each column the template names. */
export function renderLabel(template: LabelTemplate, values: ReadonlyMap<string, string | null>): string | undefined {
  let label = '';
  for (const part of template.parts) {
    if ('text' in part) {
      label += part.text;
      continue;
    }
    const value = values.get(part.column);
    if (value === null || value === undefined) return undefined;
    label += value;
  }
  return label;
}

/** A table's rule in one shape: the labels of every row, and the extra labels per column read. */
export interface NormalizedLabelRule {
  rows: readonly LabelTemplate[];
  columns: ReadonlyMap<string, readonly LabelTemplate[]>;
}

const normalized = new WeakMap<TableLabelRule, NormalizedLabelRule>();

/** Reads any form of rule as `NormalizedLabelRule` (parsed once per rule object). */
export function normalizeLabelRule(rule: TableLabelRule): NormalizedLabelRule {
  const known = normalized.get(rule);
  if (known) return known;
  let result: NormalizedLabelRule;
  if (rule.kind === 'static') {
    result = { rows: [{ source: rule.label, parts: [{ text: rule.label }], columns: [] }], columns: new Map() };
  } else if (rule.kind === 'by-column') {
    const parts: LabelPart[] = rule.prefix
      ? [{ text: rule.prefix }, { column: rule.column }]
      : [{ column: rule.column }];
    result = {
      rows: [{ source: `${rule.prefix}{${rule.column}}`, parts, columns: [rule.column] }],
      columns: new Map(),
    };
  } else {
    result = {
      rows: rule.labels.map(parseLabelTemplate),
      columns: new Map(
        Object.entries(rule.columns ?? {}).map(([column, labels]) => [column, labels.map(parseLabelTemplate)]),
      ),
    };
  }
  normalized.set(rule, result);
  return result;
}
