import type { DocumentInput } from '../documents/types.ts';
import { seededRandom } from './seeded-random.ts';

/**
 * Business words, most frequent first: document text draws from them with Zipf's law, so a few
 * words are in almost every document and most are in a few percent (as in real prose).
 */
const VOCABULARY = (
  'the team plan report customer quarter review update project budget sales revenue product ' +
  'service process meeting account region market strategy policy risk growth target forecast ' +
  'pipeline contract renewal pricing support release roadmap hiring onboarding training security ' +
  'incident outage database latency migration vendor invoice payment compliance audit privacy ' +
  'benefit salary bonus promotion headcount office travel expense laptop network storage backup ' +
  'deployment monitoring alert dashboard metric churn retention partner channel discount quota ' +
  'territory launch campaign brand design research prototype feedback survey interview legal ' +
  'license patent trademark board investor dividend equity merger acquisition integration ' +
  'architecture kubernetes cluster certificate encryption firewall phishing password rotation ' +
  'escalation postmortem runbook oncall pager capacity throughput warehouse shipment logistics ' +
  'procurement supplier tender negotiation forecasting spreadsheet variance accrual depreciation ' +
  'reconciliation ledger treasury liquidity hedging'
).split(' ');

/** The reader whose view is searched; their groups and the labels they are cleared for. */
export const SEARCH_READER = { id: 'reader', groups: ['analysts', 'engineering', 'emea'] } as const;
const READER_ACLS = ['everyone', 'user:reader', 'group:analysts', 'group:engineering', 'group:emea'];
const OTHER_TEAMS = Array.from({ length: 40 }, (_, index) => `group:team-${String(index).padStart(2, '0')}`);
/** Labels the reader is cleared for, so the ACL alone decides what they may read. */
const LABELS = ['public', 'engineering-internal'];

/** A generated corpus: the documents, and the words of each for the oracle. */
export interface SearchCorpus {
  documents: DocumentInput[];
  /** Per document id: its distinct lower-case words (title and body). */
  words: Map<string, Set<string>>;
  /** Ids of the documents whose ACL admits the reader. */
  readable: Set<string>;
}

/** Draws vocabulary ranks with probability ∝ 1 / (rank + 1). */
function zipf(random: () => number): () => string {
  const weights = VOCABULARY.map((_, rank) => 1 / (rank + 1));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const cumulative: number[] = [];
  let running = 0;
  for (const weight of weights) {
    running += weight / total;
    cumulative.push(running);
  }
  return () => {
    const target = random();
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] as number) < target) low = middle + 1;
      else high = middle;
    }
    return VOCABULARY[low] as string;
  };
}

/**
 * `count` documents of 40–120 words with 3–6 word titles. A fraction `selectivity` of them admit
 * the reader (through `everyone`, their user, or one of their groups, sometimes beside other
 * teams); the rest name only teams the reader is not in.
 */
export function generateCorpus(count: number, selectivity: number, seed = 7): SearchCorpus {
  const random = seededRandom(seed);
  const word = zipf(random);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const text = (min: number, max: number) =>
    Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, word).join(' ');
  const documents: DocumentInput[] = [];
  const words = new Map<string, Set<string>>();
  const readable = new Set<string>();
  for (let index = 0; index < count; index += 1) {
    const id = `doc-${String(index).padStart(6, '0')}`;
    const title = text(3, 6);
    const body = text(40, 120);
    const readers = new Set<string>([pick(OTHER_TEAMS)]);
    if (random() < 0.3) readers.add(pick(OTHER_TEAMS));
    if (random() < selectivity) {
      readers.add(pick(READER_ACLS));
      readable.add(id);
    }
    documents.push({ id, title, body, label: pick(LABELS), readers: [...readers] });
    words.set(id, new Set(`${title} ${body}`.split(' ')));
  }
  return { documents, words, readable };
}

/**
 * `count` queries of one to three words from the less common two thirds of the vocabulary (the
 * commonest words are what people leave out of a search), each matching any of its words.
 */
export function generateQueries(count: number, seed = 11): string[] {
  const random = seededRandom(seed);
  const from = Math.floor(VOCABULARY.length / 3);
  const pick = () => VOCABULARY[from + Math.floor(random() * (VOCABULARY.length - from))] as string;
  return Array.from({ length: count }, () => Array.from({ length: 1 + Math.floor(random() * 3) }, pick).join(' '));
}
