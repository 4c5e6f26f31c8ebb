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
