import type { UserWire } from '../protocol/wire.ts';

/** A person's display name, falling back to their id. */
export function nameOf(people: ReadonlyMap<string, UserWire>, userId: string | null | undefined): string {
  if (!userId) return 'Unknown';
  return people.get(userId)?.name ?? userId;
}

/** Initials for an avatar: "Alice Chen" → "AC". */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return ((words[0]?.[0] ?? '?') + (words.length > 1 ? (words.at(-1)?.[0] ?? '') : '')).toUpperCase();
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const stampFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** Time of day for today's items, date and time otherwise. */
export function shortTime(at: number, now = Date.now()): string {
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  return sameDay ? timeFormat.format(at) : dateTimeFormat.format(at);
}

/** Full date and time (tooltips, the audit table). */
export function fullTime(at: number): string {
  return fullFormat.format(at);
}

/** Date and time to the second, compact (audit rows). */
export function stampTime(at: number): string {
  return stampFormat.format(at);
}

/** A short form of a long hash or id for tables. */
export function shortHash(value: string, length = 12): string {
  return value.length > length ? `${value.slice(0, length)}…` : value;
}

/**
 * The currency of money in the example data (salaries, bonuses, deal amounts). Amounts are
 * stored as whole numbers with no currency of their own; the demo company reports in dollars.
 */
export const MONEY_CURRENCY = 'USD';

/** Table columns holding money: shown as currency. Matches the server's headline (`headline.ts`). */
const MONEY_COLUMN = /^(?:amount|salary|bonus|total|pipeline|revenue|price|cost|value|sum)$/i;
/** Columns of identifiers or years: never grouped (ticket 12345 is not "12,345"). */
const NOT_A_QUANTITY = /(?:^id$|_id$|^year$|^seq$|^version$)/i;
/** A plain number as the data source writes it: `480000`, `-12.5`. */
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;
/** A figure in prose as the server writes it (`$1,865,000`, `12,345`), grouped the canonical way. */
const CANONICAL_FIGURE = /(-?)(\$?)(\d{1,3}(?:,\d{3})+)(?!\d|[,.]\d)/g;

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string | undefined, money: boolean): Intl.NumberFormat {
  const key = `${locale ?? ''}|${money}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(
      locale,
      money ? { style: 'currency', currency: MONEY_CURRENCY, maximumFractionDigits: 0 } : { maximumFractionDigits: 2 },
    );
    numberFormats.set(key, format);
  }
  return format;
}

/**
 * A table cell for the reader's locale: money columns as currency, other numbers grouped; text,
 * identifiers and small numbers as they are. `locale` undefined means the browser's.
 */
export function formatCell(column: string, text: string, locale?: string): string {
  const trimmed = text.trim();
  if (!PLAIN_NUMBER.test(trimmed) || NOT_A_QUANTITY.test(column.trim())) return text;
  const value = Number(trimmed);
  if (MONEY_COLUMN.test(column.trim())) return numberFormat(locale, true).format(value);
  return Math.abs(value) >= 1000 ? numberFormat(locale, false).format(value) : text;
}

/**
 * Figures in answer prose for the reader's locale. The server writes them one canonical way —
 * `$1,865,000` for money, `12,345` for counts — because one stored answer has readers in many
 * locales; here they become `1.865.000 $` for a German reader. Four-digit numbers without a
 * comma (years, `D-1002`, `10:00`) are left alone.
 */
export function localizeFigures(text: string, locale?: string): string {
  return text.replace(CANONICAL_FIGURE, (match, sign: string, dollar: string, digits: string, offset: number) => {
    const before = text[offset - 1] ?? '';
    if (/[\w.-]/.test(before)) return match;
    const value = Number(`${sign}${digits.replaceAll(',', '')}`);
    return numberFormat(locale, dollar === '$').format(value);
  });
}
