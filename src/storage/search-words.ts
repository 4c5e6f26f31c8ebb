/** Words beyond this many are ignored: a pasted page must not become a thousand-term query. */
const MAX_WORDS = 32;

/**
 * The words of a user's search text: runs of letters, digits and combining marks, deduplicated,
 * in order. Everything else (quotes, operators, parentheses, `*`, `:`) is a separator, so the
 * words can be quoted into any full-text query language without letting the user write syntax.
 */
export function searchWords(query: string): string[] {
  const words = query.match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
  return [...new Set(words.map((word) => word.toLowerCase()))].slice(0, MAX_WORDS);
}
