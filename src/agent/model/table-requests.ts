import { pluralOf, singular } from './inflection.ts';
import { callPlan, type ModelPlan } from './model-plan.ts';
import { mentions, wordsOf } from './request-text.ts';
import type { ToolCatalogEntry } from './tool-catalog.ts';

/** A table a SQL tool's description lists: `Tables: projects(id, name), public.notes(id, body).` */
export interface DescribedTable {
  tool: string;
  /** As the statement names it: `projects` or `schema.name`. */
  name: string;
  columns: string[];
}

const TABLE_ENTRY = /([a-z_][a-z0-9_$]*(?:\.[a-z_][a-z0-9_$]*)?)\s*\(([^)]*)\)/gi;

/**
 * The tables SQL tools describe. A SQL tool takes one required `query` string and lists its
 * tables after `Tables:` in its description: the only knowledge of a workspace's schema the
 * offline model has, so it works on any workspace's sources without knowing their domain.
 */
export function describedTables(catalog: readonly ToolCatalogEntry[]): DescribedTable[] {
  const tables: DescribedTable[] = [];
  for (const tool of catalog) {
    const properties = tool.inputSchema.properties ?? {};
    if (!properties.query || Object.keys(properties).length !== 1) continue;
    const listing = /\bTables?:\s*([\s\S]*)$/i.exec(tool.description)?.[1] ?? '';
    for (const match of listing.matchAll(TABLE_ENTRY)) {
      const columns = (match[2] ?? '')
        .split(',')
        .map((column) => column.trim().split(/\s+/)[0] ?? '')
        .filter((column) => /^[a-z_][a-z0-9_$]*$/i.test(column));
      tables.push({ tool: tool.name, name: (match[1] ?? '').toLowerCase(), columns });
    }
  }
  return tables;
}

/** The words that name a table: `project_notes` → "project notes", "project note", "project_notes". */
function namesOf(table: string): string[] {
  const bare = table.includes('.') ? (table.split('.')[1] ?? table) : table;
  const spaced = bare.replace(/_/g, ' ');
  const one = singular(spaced);
  return [...new Set([bare, spaced, one, pluralOf(one)].map((name) => wordsOf(name).join(' ')))].filter(Boolean);
}

/**
 * The request's words without the described tables it names, so a noun inside a table's name
 * ("notes" in "project notes", the table `project_notes`) is not read on its own.
 */
export function withoutTableNames(request: string, catalog: readonly ToolCatalogEntry[]): string {
  const names = describedTables(catalog)
    .flatMap((table) => namesOf(table.name))
    .sort((a, b) => b.length - a.length);
  let padded = ` ${wordsOf(request).join(' ')} `;
  for (const name of names) padded = padded.replaceAll(` ${name} `, ' ');
  return padded.trim();
}

/** The words that name a column: `class_id` → "class_id", "class id", "class"; `ward` → "ward", "wards". */
function columnNames(column: string): string[] {
  const spaced = column.replace(/_/g, ' ');
  const bare = spaced.replace(/ id$/, '');
  return [...new Set([column, spaced, bare, pluralOf(bare)].map((name) => wordsOf(name).join(' ')))].filter(Boolean);
}

/** The column a request groups or orders by: "per ward", "by class", "for each status", "sorted by amount". */
function columnAfter(request: string, columns: readonly string[]): string | undefined {
  const lead = ['by', 'per', 'each', 'for each', 'in each', 'sorted by', 'ordered by', 'order by', 'sort by'];
  return columns.find((column) =>
    columnNames(column).some((name) =>
      mentions(
        request,
        lead.map((word) => `${word} ${name}`),
      ),
    ),
  );
}

/**
 * A plan for a request that names a described table: a count when it asks how many (per a listed
 * column when it says "per ward" / "by status"), else the table's rows (its listed columns, at most
 * 100, in the order of a column it names: "by amount", the largest first for "top 5 … by amount").
 * The longest name wins, so "project notes" beats "projects". Undefined when no table is named.
 */
export function tableRequest(request: string, catalog: readonly ToolCatalogEntry[]): ModelPlan | undefined {
  let best: { table: DescribedTable; length: number } | undefined;
  for (const table of describedTables(catalog)) {
    for (const name of namesOf(table.name)) {
      if (mentions(request, [name]) && (!best || name.length > best.length)) best = { table, length: name.length };
    }
  }
  if (!best) return undefined;
  const { table } = best;
  const label = (table.name.split('.').pop() ?? table.name).replace(/[^a-z0-9_]/gi, '_');
  const column = columnAfter(request, table.columns);
  if (mentions(request, ['how many', 'count', 'number of'])) {
    return callPlan(table.tool, {
      query: column
        ? `SELECT ${column}, count(*) AS ${label} FROM ${table.name} GROUP BY ${column} ORDER BY ${column}`
        : `SELECT count(*) AS ${label} FROM ${table.name}`,
    });
  }
  const columns = table.columns.length > 0 ? table.columns.join(', ') : '*';
  const top = /\btop\s+(\d{1,3})\b/i.exec(request)?.[1];
  const descending = top !== undefined || mentions(request, ['highest', 'largest', 'biggest', 'most', 'descending']);
  const order = column ? ` ORDER BY ${column}${descending ? ' DESC' : ''}` : '';
  return callPlan(table.tool, {
    query: `SELECT ${columns} FROM ${table.name}${order} LIMIT ${top ? Number(top) : 100}`,
  });
}
