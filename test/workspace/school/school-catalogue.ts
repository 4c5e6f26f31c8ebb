import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { SchoolDatabase } from './school-database.ts';
import { SCHOOL_DIR } from './school-database.ts';
import type { SchoolPerson } from './school-people.ts';

/** One table's labels as behalf.yaml declares them: per row (`class:{class_id}`) and per column. */
interface TableLabels {
  labels: string[];
  columns?: Record<string, string[]>;
}

/** The `tables:` of the school source, read from behalf.yaml as YAML (not through Behalf's loader). */
export async function schoolTableLabels(): Promise<Record<string, TableLabels>> {
  const config = parse(await readFile(join(SCHOOL_DIR, 'behalf.yaml'), 'utf8')) as {
    sources: Array<{ tables: Record<string, TableLabels> }>;
  };
  const tables = config.sources[0]?.tables ?? {};
  return Object.fromEntries(Object.entries(tables).map(([name, spec]) => [name.replace(/^public\./, ''), spec]));
}

/** The label ids of the catalogue, each as a pattern (`class:{class_id}` matches `class:7m`). */
export async function schoolLabelPatterns(): Promise<RegExp[]> {
  const config = parse(await readFile(join(SCHOOL_DIR, 'behalf.yaml'), 'utf8')) as { labels: Array<{ id: string }> };
  return config.labels.map(
    ({ id }) => new RegExp(`^${id.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[a-z_]+\}/g, '[a-z0-9._-]+')}$`),
  );
}

/**
 * The labels a statement reading `columns` of `table` must carry for `person`, computed from the
 * catalogue and the rows the person reads directly: the table's fixed labels, those of the
 * columns read, and each parameterized label rendered with the values of the person's visible
 * rows; `public` when that leaves nothing (no visible row of a table labelled per row only).
 */
export async function expectedLabels(
  database: SchoolDatabase,
  person: SchoolPerson,
  table: string,
  columns: readonly string[],
  spec: TableLabels,
): Promise<string[]> {
  const labels = new Set<string>();
  const templates = [
    ...spec.labels,
    ...Object.entries(spec.columns ?? {}).flatMap(([column, extra]) => (columns.includes(column) ? extra : [])),
  ];
  for (const template of templates) {
    const parameters = [...template.matchAll(/\{([a-z_]+)\}/g)].map((match) => match[1] as string);
    if (parameters.length === 0) {
      labels.add(template);
      continue;
    }
    const rows = await database.direct(
      person,
      `SELECT DISTINCT ${parameters.map((parameter) => `${parameter}::text`).join(', ')} FROM public.${table}`,
    );
    for (const row of rows) {
      labels.add(
        parameters.reduce((label, parameter, index) => label.replace(`{${parameter}}`, row[index] ?? ''), template),
      );
    }
  }
  if (labels.size === 0) labels.add('public');
  return [...labels].sort();
}
