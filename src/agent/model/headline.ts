import { pluralOf, singular } from './inflection.ts';
import { measureOf } from './sql-requests.ts';

/**
 * Columns holding money in the example data (`salary`, `amount`...), whose figures read as dollars. The web formats the same
 * columns as currency in tables (`src/web/format.ts`), so prose and table agree.
 */
export const MONEY_COLUMNS: ReadonlySet<string> = new Set(['amount', 'salary', 'bonus', 'total', 'pipeline']);

/**
 * The sentence an answer leads with when the request asked for a figure ("how many", "worth",
 * "average", someone's salary), computed from the rows the requester was shown. Figures are
 * written the canonical way (`$1,865,000`, `12,345`): the web re-renders them for the reader's
 * locale, and every other client reads them as they are. Undefined when there is no figure to give.
 */
export function headlineFor(
  request: string,
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
  complete: boolean,
): string | undefined {
  if (rows.length === 0) return undefined;
  const has = (column: string) => columns.includes(column);
  const atLeast = complete ? '' : 'at least ';
  if (has('salary') && has('name') && rows.length === 1) return personPay(rows[0] ?? {});
  const measure = measureOf(request);
  if (!measure) return undefined;
  if (measure === 'count') {
    const computed = computedCount(columns, rows);
    if (computed) return computed;
  }
  const grouped = ['deals', 'incidents', 'people'].find(has);
  const counted = grouped ? sumOf(rows, grouped) : rows.length;
  const noun = has('amount')
    ? 'deal'
    : has('severity') || grouped === 'incidents'
      ? 'incident'
      : has('salary')
        ? 'person'
        : 'row';
  const many = `${atLeast}**${formatCount(counted)}** ${plural(noun, counted)}`;
  if (measure === 'count' || !(has('amount') || has('salary')))
    return capitalize(`${many} ${counted === 1 ? 'matches' : 'match'}.`);
  const money = has('amount') ? 'amount' : 'salary';
  const total = sumOf(rows, money);
  if (measure === 'sum' && money === 'amount') {
    return capitalize(`${many}, worth **${atLeast}${formatMoney(total)}** in total.`);
  }
  if (measure === 'sum') {
    const bonus = has('bonus') ? `, plus **${formatMoney(sumOf(rows, 'bonus'))}** in bonuses` : '';
    return `Salaries total **${atLeast}${formatMoney(total)}** across ${many}${bonus}.`;
  }
  const average = counted > 0 ? Math.round(total / counted) : 0;
  return `The average ${money === 'amount' ? 'deal' : 'salary'} is **${formatMoney(average)}**, across ${many}.`;
}

/**
 * A count the source computed (`SELECT count(*) AS projects FROM ...`): one row holding one
 * number, whose column names what was counted. Reporting "1 row matches" there would be wrong.
 */
function computedCount(columns: readonly string[], rows: readonly Record<string, unknown>[]): string | undefined {
  if (columns.length === 2 && rows.length > 0) return groupedCount(columns, rows);
  const [column] = columns;
  if (columns.length !== 1 || rows.length !== 1 || column === undefined) return undefined;
  const value = numberOf(rows[0]?.[column]);
  if (value === undefined) return undefined;
  const figure = `**${formatCount(value)}**`;
  if (/^(?:count|total|n)$/i.test(column)) return `The count is ${figure}.`;
  const noun = nounOf(column);
  return value === 1 ? `There is ${figure} ${singular(noun)}.` : `There are ${figure} ${noun}.`;
}

/**
 * A count per group (`SELECT ward, count(*) AS patients … GROUP BY ward`): the total and how many
 * groups ("There are **3** patients across **2** wards."). Undefined unless every count is a whole number.
 */
function groupedCount(columns: readonly string[], rows: readonly Record<string, unknown>[]): string | undefined {
  const [group, column] = columns as [string, string];
  const counts = rows.map((row) => numberOf(row[column]));
  if (counts.some((count) => count === undefined || !Number.isInteger(count) || count < 0)) return undefined;
  // A count names a plural ("patients", "number_of_visits"), and each group appears once:
  // `SELECT name, age …` is rows, not a count per name.
  if (!/(?:s|_count|_total)$/i.test(column) || /^(?:count|total|n)$/i.test(column)) return undefined;
  if (new Set(rows.map((row) => String(row[group]))).size !== rows.length) return undefined;
  const total = counts.reduce((sum: number, count) => sum + (count ?? 0), 0);
  const noun = nounOf(column);
  const groupNoun = nounOf(group).replace(/ id$/, '');
  const groups = rows.length === 1 ? groupNoun : pluralOf(groupNoun);
  return `There ${total === 1 ? 'is' : 'are'} **${formatCount(total)}** ${total === 1 ? singular(noun) : noun} across **${formatCount(rows.length)}** ${groups}.`;
}

/** What a count column names: `number_of_projects` → "projects", `class_id` → "class id". */
function nounOf(column: string): string {
  return column
    .replace(/^(?:count_|number_of_|n_)/i, '')
    .replace(/_(?:count|total)$/i, '')
    .replace(/_/g, ' ');
}

function personPay(row: Record<string, unknown>): string {
  const name = typeof row.name === 'string' ? row.name : 'This person';
  const salary = numberOf(row.salary);
  const bonus = numberOf(row.bonus);
  const bonusPart = bonus !== undefined ? ` and a bonus of **${formatMoney(bonus)}**` : '';
  return salary !== undefined
    ? `**${name}** is paid a salary of **${formatMoney(salary)}**${bonusPart}.`
    : `**${name}**:`;
}

function sumOf(rows: readonly Record<string, unknown>[], column: string): number {
  return rows.reduce((sum, row) => sum + (numberOf(row[column]) ?? 0), 0);
}

/** Numbers as the data source sends them: numbers, or strings for `bigint` sums. */
function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(?:\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}

/** `$1,865,000`: dollars, grouped the canonical way, no cents. */
export function formatMoney(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  return `${sign}$${formatCount(Math.abs(amount))}`;
}

/** `12,345`: grouped with commas, independent of the server's locale. */
export function formatCount(value: number): string {
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function plural(noun: string, count: number): string {
  return count === 1 ? noun : pluralOf(noun);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
