/** The one mention the composer completes: the shared agent. */
export const AGENT_MENTION = '@agent';

/** A completion the composer offers: replace `text[start, end)` with `replacement`. */
export interface MentionCompletion {
  start: number;
  end: number;
  replacement: string;
}

/**
 * The `@agent` completion for the word being typed at `caret`, or null. It is offered while the
 * word is `@` or a strict prefix of `@agent` (case-insensitive) at the start of a word, so a
 * finished `@agent` or an e-mail address never triggers it.
 */
export function mentionCompletion(text: string, caret: number): MentionCompletion | null {
  const match = /(^|\s)@([A-Za-z]*)$/.exec(text.slice(0, caret));
  if (!match) return null;
  const partial = (match[2] ?? '').toLowerCase();
  const name = AGENT_MENTION.slice(1);
  if (partial.length >= name.length || !name.startsWith(partial)) return null;
  return { start: caret - partial.length - 1, end: caret, replacement: `${AGENT_MENTION} ` };
}

/** The text and caret after accepting a completion. */
export function applyCompletion(text: string, completion: MentionCompletion): { text: string; caret: number } {
  const next = text.slice(0, completion.start) + completion.replacement + text.slice(completion.end);
  return { text: next, caret: completion.start + completion.replacement.length };
}
