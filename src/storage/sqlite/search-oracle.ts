import type Database from 'better-sqlite3';
import type { SearchCorpus } from '../../bench/search-corpus.ts';
import { searchWords } from '../search-words.ts';

/** An authorized match with its full-text rank (lower is better). */
export interface RankedMatch {
  id: string;
  rank: number;
}

/**
 * The exact authorized-only answer to a query, independent of the store's pre-filter: which
 * documents match is computed from the generated words (any query word), which of them the
 * reader may read from the generated ACLs, and only the order comes from the index — FTS5's
 * rank of every match, read without limit, permission filter or snippets, so "ranked the same
 * way" as the store ranks. Throws if the index and the generated words disagree on the matches.
 */
export function createSearchOracle(db: Database.Database, corpus: SearchCorpus): (query: string) => RankedMatch[] {
  const ranked = db.prepare<[string], RankedMatch>(
    `SELECT k.document_id AS id, documents_fts.rank AS rank
       FROM documents_fts JOIN document_search_keys k ON k.search_rowid = documents_fts.rowid
      WHERE documents_fts MATCH ? ORDER BY documents_fts.rank`,
  );
  return (query) => {
    const words = searchWords(query);
    let expected = 0;
    for (const documentWords of corpus.words.values()) if (words.some((word) => documentWords.has(word))) expected += 1;
    const all = ranked.all(words.map((word) => `"${word}"`).join(' OR '));
    const consistent =
      all.length === expected && all.every((match) => words.some((word) => corpus.words.get(match.id)?.has(word)));
    if (!consistent) throw new Error(`the index and the corpus disagree on the matches of "${query}"`);
    return all.filter((match) => corpus.readable.has(match.id));
  };
}

/**
 * How many of the first `k` hits are among the oracle's top `k`, and how many there should be.
 * Documents tied in rank with the k-th are interchangeable (either order is correct). A hit the
 * reader may not read is a leak, not a recall miss: it throws.
 */
export function recallAt(
  hits: ReadonlyArray<{ id: string }>,
  oracle: readonly RankedMatch[],
  readable: ReadonlySet<string>,
  k: number,
): { found: number; expected: number } {
  for (const hit of hits) {
    if (!readable.has(hit.id)) throw new Error(`search returned ${hit.id}, which the reader may not read`);
  }
  const expected = Math.min(k, oracle.length);
  if (expected === 0) return { found: 0, expected: 0 };
  const boundary = (oracle[expected - 1] as RankedMatch).rank;
  const tolerance = Math.abs(boundary) * 1e-9;
  const acceptable = new Set(oracle.filter((match) => match.rank <= boundary + tolerance).map((match) => match.id));
  const found = new Set(
    hits
      .slice(0, k)
      .filter((hit) => acceptable.has(hit.id))
      .map((hit) => hit.id),
  ).size;
  return { found: Math.min(found, expected), expected };
}
