export { type OpenStoreOptions, openStore } from './open-store.ts';
export { createSqliteStore, type SqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store.ts';
export type { Store } from './types.ts';
