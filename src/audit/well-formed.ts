import type { AuditEntry } from './types.ts';

// A UTF-16 surrogate without its partner: not encodable as UTF-8.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const ANY_SURROGATE = /[\ud800-\udfff]/;

/** The text with every lone surrogate replaced by U+FFFD (what `String#toWellFormed` does). */
export function wellFormed(text: string): string {
  return ANY_SURROGATE.test(text) ? text.replace(LONE_SURROGATE, '\ufffd') : text;
}

/**
 * The entry with every string made well-formed Unicode. Reasons and resources can echo text the
 * model made up (a document id with a lone surrogate, say); a store keeps UTF-8, so such a string
 * would come back changed and the record would no longer match its hash — any model could then
 * make the chain fail verification, or an adapter that refuses invalid UTF-8 fail every append.
 * Returns the entry itself when nothing needs changing (the common case, on the hot path).
 */
export function wellFormedEntry<Entry extends AuditEntry>(entry: Entry): Entry {
  let copy: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(entry)) {
    let fixed: unknown = value;
    if (typeof value === 'string') fixed = wellFormed(value);
    else if (Array.isArray(value) && value.some((item) => typeof item === 'string' && ANY_SURROGATE.test(item)))
      fixed = value.map((item: unknown) => (typeof item === 'string' ? wellFormed(item) : item));
    if (fixed !== value) {
      const changed: Record<string, unknown> = copy ?? { ...(entry as Record<string, unknown>) };
      changed[key] = fixed;
      copy = changed;
    }
  }
  return (copy ?? entry) as Entry;
}
