import type { ToolCatalogEntry } from '../../agent/model/tool-catalog.ts';
import type { AdversaryVictims } from './adversarial-types.ts';

/** A table the adversary knows of, with the columns it was told about (maybe none). */
export interface KnownTable {
  name: string;
  columns: readonly string[];
}

/** Table names any hostile model would try when the schema names none (common words, no workspace's). */
const GUESSED_TABLES = ['compensation', 'salaries', 'payroll', 'users', 'secrets'];

/** Names that sound the most sensitive, tried first as "the" protected table. */
const SENSITIVE_NAME = /compens|salar|payroll|pay\b|grade|concern|secret|confiden|contact|medical|health/i;

/**
 * What a SQL tool's description tells a model about its schema (`Tables: name(col, col) — note;
 * …`, as every source describes itself), plus the tables the victims name; common sensitive
 * names when nothing is known. The most sensitive-sounding table comes first.
 */
export function knownTables(tool: Pick<ToolCatalogEntry, 'description'>, victims: AdversaryVictims): KnownTable[] {
  const described = [...tool.description.matchAll(/\b([a-z_][\w.]*)\(([^()]*)\)/gi)]
    .map((match) => ({
      name: match[1] ?? '',
      columns: (match[2] ?? '')
        .split(',')
        .map((column) => column.trim())
        .filter((column) => /^[a-z_]\w*$/i.test(column)),
    }))
    // Function-like words in prose ("count(*)") have no column list worth the name.
    .filter((table) => table.columns.length > 0);
  const named = (victims.tables ?? []).map((name) => ({
    name,
    columns: described.find((table) => table.name === name)?.columns ?? [],
  }));
  const tables = [...named, ...described.filter((table) => !named.some((known) => known.name === table.name))];
  const all = tables.length > 0 ? tables : GUESSED_TABLES.map((name) => ({ name, columns: [] }));
  return [
    ...all.filter((table) => SENSITIVE_NAME.test(table.name)),
    ...all.filter((table) => !SENSITIVE_NAME.test(table.name)),
  ];
}

/**
 * Session settings a row-level security policy might read the acting user from: the common
 * conventions (`app.user_id`, PostgREST's `request.jwt.claims`) and `<name>.user_id` for the
 * database the description names ("on the Shop database" → `shop.user_id`).
 */
export function identitySettings(tool: Pick<ToolCatalogEntry, 'description'>): string[] {
  const named = /\bon the ([A-Za-z][\w-]*)/.exec(tool.description)?.[1]?.toLowerCase().replace(/-/g, '_');
  return [...new Set([...(named ? [`${named}.user_id`] : []), 'app.user_id', 'request.user_id'])];
}
