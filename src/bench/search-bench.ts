import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOfflineModel } from '../agent/model/offline-model.ts';
import {
  createSearchOracle,
  createSqliteStore,
  type RankedMatch,
  recallAt,
  type SqliteStore,
} from '../app/bench-stores.ts';
import { buildEngine, type Engine } from '../app/build-engine.ts';
import { decideDocumentRead, readerPrincipalsOf } from '../tools/builtin/document-access.ts';
import type { ActingPrincipal } from '../tools/types.ts';
import { generateCorpus, generateQueries, SEARCH_READER, type SearchCorpus } from './search-corpus.ts';
import { percentile, round } from './stats.ts';

/** The one-line result of `behalf bench search --json` (SPEC §10). */
export interface SearchBenchResult {
  bench: 'search';
  docs: number;
  /** Fraction of the documents the reader may read. */
  selectivity: number;
  /** Mean permission-filtered latency ÷ mean unfiltered latency, same queries (≤ 1.3 is the target). */
  ratio_filtered_vs_unfiltered: number;
  /** Filtered top-k hits among the exact authorized-only top k, over every query (1 is the target). */
  recall: number;
  /** Latency of the permission-filtered store search, milliseconds. */
  p50_ms: number;
  p99_ms: number;
  /** The whole `search_documents` call through the gateway (authorize, grant, pre-filter, per-hit re-check, audit). */
  tool_p50_ms: number;
  /** The tool's hits among the exact authorized-only top 8 (its limit). */
  tool_recall: number;
}

export interface SearchBenchOptions {
  /** Documents indexed (default 20 000). */
  docs?: number;
  /** Distinct queries (default 100). */
  queries?: number;
  /** Timed passes over the queries, each query alternating filtered and unfiltered (default 4). */
  rounds?: number;
  /** Hits per search (default 10). */
  limit?: number;
  /** Queries sent through the whole tool path (default 100). */
  toolCalls?: number;
  onProgress?: (line: string) => void;
}

const SELECTIVITY = 0.1;
const THREAD = 'thr_search_bench';

/**
 * Permission-filtered search: `docs` generated documents indexed through `documents.upsert`, a
 * reader whose ACL principals admit about 10 % of them, and the same queries run with the
 * reader's principals and unfiltered (`readerPrincipals: null`), alternating per query. Recall is
 * measured against an exact oracle (see `createSearchOracle`) at the timed limit and at 100, and
 * the oracle itself is checked against the policy engine's `readDocument` + `readLabel` decisions
 * on a sample, so "authorized" means what the gateway would allow.
 */
export async function runSearchBench(options: SearchBenchOptions = {}): Promise<SearchBenchResult> {
  const docs = options.docs ?? 20_000;
  const rounds = options.rounds ?? 4;
  const limit = options.limit ?? 10;
  const progress = options.onProgress ?? (() => {});
  const dir = await mkdtemp(join(tmpdir(), 'behalf-bench-search-'));
  const store = await createSqliteStore({ path: join(dir, 'behalf.db'), exclusive: true });
  try {
    const app = await buildEngine({ store, model: createOfflineModel() });
    await store.users.upsert({
      ...SEARCH_READER,
      groups: [...SEARCH_READER.groups],
      name: 'Reader',
      title: 'Analyst',
      managerId: null,
    });
    await store.threads.create(
      {
        id: THREAD,
        title: 'Search benchmark',
        ownerId: SEARCH_READER.id,
        mode: 'user',
        agentId: null,
        createdAt: Date.now(),
      },
      [SEARCH_READER.id],
    );
    const corpus = generateCorpus(docs, SELECTIVITY);
    await indexCorpus(store, corpus, progress);
    const principal: ActingPrincipal = {
      ...SEARCH_READER,
      groups: [...SEARCH_READER.groups],
      mode: 'user',
      requester: SEARCH_READER.id,
    };
    await checkOracleAgainstPolicy(app, principal, corpus);
    const oracle = createSearchOracle(store.db, corpus);
    const queries = generateQueries(options.queries ?? 100).map((text) => ({ text, oracle: oracle(text) }));
    const readerPrincipals = readerPrincipalsOf(principal);
    const search = (text: string, filtered: boolean, k = limit) =>
      store.documents.search(text, { readerPrincipals: filtered ? readerPrincipals : null, limit: k });

    progress('warming up');
    for (const query of queries) {
      await search(query.text, true);
      await search(query.text, false);
    }
    const samples = queries.map(() => ({ filtered: [] as number[], unfiltered: [] as number[] }));
    let recall = { found: 0, expected: 0 };
    for (let round = 0; round < rounds; round += 1) {
      for (const [index, query] of queries.entries()) {
        const sides = (index + round) % 2 === 0 ? [true, false] : [false, true];
        for (const filtered of sides) {
          const started = performance.now();
          const hits = await search(query.text, filtered);
          const elapsed = performance.now() - started;
          const sample = samples[index] as (typeof samples)[number];
          (filtered ? sample.filtered : sample.unfiltered).push(elapsed);
          if (filtered && round === 0) recall = add(recall, recallAt(hits, query.oracle, corpus.readable, limit));
        }
      }
      progress(`round ${round + 1}/${rounds}: ${queries.length} queries each way`);
    }
    for (const query of queries) {
      recall = add(recall, recallAt(await search(query.text, true, 100), query.oracle, corpus.readable, 100));
    }
    const tool = await measureToolPath(app, queries.slice(0, options.toolCalls ?? 100), corpus);
    progress(`search_documents through the gateway: p50 ${round(percentile(tool.latencies, 50), 2)} ms`);
    await app.drain();

    // Per query, the median over rounds (a burst of load elsewhere skews one sample, not the figure).
    const medians = (side: 'filtered' | 'unfiltered') => samples.map((sample) => percentile(sample[side], 50));
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
    const filteredAll = samples.flatMap((sample) => sample.filtered);
    return {
      bench: 'search',
      docs,
      selectivity: round(corpus.readable.size / docs, 3),
      ratio_filtered_vs_unfiltered: round(sum(medians('filtered')) / sum(medians('unfiltered'))),
      recall: ratioOf(recall),
      p50_ms: round(percentile(filteredAll, 50)),
      p99_ms: round(percentile(filteredAll, 99)),
      tool_p50_ms: round(percentile(tool.latencies, 50)),
      tool_recall: ratioOf(tool.recall),
    };
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Indexes every document through `documents.upsert`, a thousand per transaction: each upsert is
 * its own nested transaction (a savepoint) inside, which only spares the benchmark's setup one
 * commit per document.
 */
async function indexCorpus(store: SqliteStore, corpus: SearchCorpus, progress: (line: string) => void): Promise<void> {
  const started = performance.now();
  for (let from = 0; from < corpus.documents.length; from += 1000) {
    store.db.exec('BEGIN IMMEDIATE');
    try {
      for (const document of corpus.documents.slice(from, from + 1000)) await store.documents.upsert(document);
      store.db.exec('COMMIT');
    } catch (error) {
      store.db.exec('ROLLBACK');
      throw error;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  progress(`indexed ${corpus.documents.length} documents in ${round(seconds, 1)} s (${corpus.readable.size} readable)`);
}

/** The oracle's "may read" must be the policy's: sample readable and unreadable documents. */
async function checkOracleAgainstPolicy(app: Engine, principal: ActingPrincipal, corpus: SearchCorpus): Promise<void> {
  const sample = corpus.documents.filter(
    (_, index) => index % Math.max(1, Math.floor(corpus.documents.length / 200)) === 0,
  );
  for (const document of sample) {
    const decision = await decideDocumentRead(app.policy, principal, THREAD, document);
    if (decision.allowed !== corpus.readable.has(document.id)) {
      throw new Error(
        `policy and oracle disagree on ${document.id}: policy says ${decision.allowed ? 'allow' : 'deny'}`,
      );
    }
  }
}

async function measureToolPath(
  app: Engine,
  queries: ReadonlyArray<{ text: string; oracle: RankedMatch[] }>,
  corpus: SearchCorpus,
): Promise<{ latencies: number[]; recall: { found: number; expected: number } }> {
  const signal = new AbortController().signal;
  const latencies: number[] = [];
  let recall = { found: 0, expected: 0 };
  for (const [index, query] of queries.entries()) {
    const runId = `run_search_bench_${index}`;
    const started = performance.now();
    const result = await app.gateway.call(
      { id: runId, threadId: THREAD, requesterId: SEARCH_READER.id, mode: 'user' },
      'search_documents',
      { query: query.text },
      `${runId}:call`,
      signal,
    );
    latencies.push(performance.now() - started);
    if (!result.envelope.ok) throw new Error(`search_documents refused: ${result.envelope.error.message}`);
    const { hits } = result.envelope.content as { hits: Array<{ id: string }> };
    recall = add(recall, recallAt(hits, query.oracle, corpus.readable, 8));
  }
  return { latencies, recall };
}

function add(
  total: { found: number; expected: number },
  part: { found: number; expected: number },
): { found: number; expected: number } {
  return { found: total.found + part.found, expected: total.expected + part.expected };
}

function ratioOf({ found, expected }: { found: number; expected: number }): number {
  return expected === 0 ? 1 : round(found / expected, 4);
}
