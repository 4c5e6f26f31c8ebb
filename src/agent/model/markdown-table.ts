import { oneLine } from './request-text.ts';

/** Rows shown in an answer; the rest are counted, not shown. */
export const MAX_TABLE_ROWS = 50;

const MAX_CELL_LENGTH = 200;

/**
 * A Markdown table of `rows` under `columns`, at most `MAX_TABLE_ROWS` rows. Cells are flattened
 * to one line and pipes escaped, so a value can never break out of its cell or the table.
 */
export function markdownTable(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const header = `| ${columns.map(cellText).join(' | ')} |`;
  const rule = `|${columns.map(() => ' --- ').join('|')}|`;
  const body = rows
    .slice(0, MAX_TABLE_ROWS)
    .map((row) => `| ${columns.map((column) => cellText(row[column])).join(' | ')} |`);
  return [header, rule, ...body].join('\n');
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return oneLine(text, MAX_CELL_LENGTH).replaceAll('\\', '\\\\').replaceAll('|', '\\|');
}
