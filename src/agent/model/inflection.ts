/**
 * English plurals of the nouns the offline model builds from table and column names
 * (`classes` ↔ `class`, `severities` ↔ `severity`, `people` ↔ `person`). Regular rules only:
 * the names come from schemas, and an odd plural costs a clumsy sentence, never a wrong row.
 */
export function singular(noun: string): string {
  if (noun === 'people') return 'person';
  return noun
    .replace(/ies$/, 'y')
    .replace(/(?<=(?:s|x|ch|sh))es$/, '')
    .replace(/(?<!s)s$/, '');
}

export function pluralOf(noun: string): string {
  if (noun === 'person') return 'people';
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  if (/(?:s|x|ch|sh)$/.test(noun)) return `${noun}es`;
  return `${noun}s`;
}
