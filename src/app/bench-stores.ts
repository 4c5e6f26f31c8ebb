/**
 * What the benchmarks need of the embedded storage adapter, handed out by the composition root
 * (issue 8: only `src/app` and `src/storage` touch adapters): a fresh SQLite store, and the two
 * SQLite-specific instruments measured beside it — an unchained durable log (the audit
 * benchmark's baseline) and an exact full-text oracle (the search benchmark's recall).
 */
export { createSqliteStore, type SqliteStore } from '../storage/index.ts';
export { createSearchOracle, type RankedMatch, recallAt } from '../storage/sqlite/search-oracle.ts';
export { createUnchainedLog } from '../storage/sqlite/unchained-log.ts';
