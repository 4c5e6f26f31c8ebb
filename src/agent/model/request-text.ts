/**
 * Removes a leading `@agent` mention, optionally preceded by a speaker tag the context assembly
 * may add (`[alice]`, `Alice Chen:`), so `@agent /sql ...` and `/sql ...` read the same.
 */
export function stripAgentMention(text: string): string {
  const trimmed = text.trim();
  const mention = /^(?:\[[^\]\n]{1,60}\]\s*|[\p{L} .'-]{1,40}:\s*)?@agent\b[\s,:;-]*/iu.exec(trimmed);
  return mention ? trimmed.slice(mention[0].length).trim() : trimmed;
}

/** Lower-case words of a request (letters, digits, dashes and apostrophes kept inside words). */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
}

/** True when any of `terms` (single words or phrases) appears in the request as whole words. */
export function mentions(text: string, terms: readonly string[]): boolean {
  const padded = ` ${wordsOf(text).join(' ')} `;
  return terms.some((term) => padded.includes(` ${term} `));
}

// Words that carry no search meaning: function words, politeness, and the verbs and nouns people
// use to ask for a search rather than to describe what they are looking for.
const FILLER = new Set(
  (
    'a an the and or of for to in on at by with about from into is are was were be been it its this that these ' +
    'those me my our we us you your i please can could would will should do does did what which who how why when ' +
    'where there here any some all up show tell give get find search look lookup looking read open summarize ' +
    'summarise summary fetch pull document documents doc docs file files say says said agent hi hello hey thanks ' +
    "thank whats what’s what's know need want like just also then than so"
  ).split(' '),
);

/** The words of a request worth searching for, in their original order, at most `limit`. */
export function salientKeywords(text: string, limit = 6): string[] {
  const seen = new Set<string>();
  const keywords: string[] = [];
  for (const word of wordsOf(text)) {
    const bare = word.replace(/['’]s$/, '');
    if (bare.length < 2 || FILLER.has(bare) || seen.has(bare)) continue;
    seen.add(bare);
    keywords.push(bare);
  }
  return keywords.slice(0, limit);
}

/** A single-line, length-capped version of free text (titles, table cells). */
export function oneLine(text: string, maxLength: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > maxLength ? `${flat.slice(0, maxLength - 1).trimEnd()}…` : flat;
}
