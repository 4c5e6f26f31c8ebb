import { createOfflineModel } from '../agent/model/offline-model.ts';
import { seedAcme } from '../demo/seed.ts';
import { type AcmeSource, acmeSourceTemplate } from '../sources/index.ts';
import { createSqliteStore, type SqliteStore } from '../storage/index.ts';
import { buildEngine, type Engine } from './build-engine.ts';

/** A whole engine in one process on throwaway storage, with the store it runs on. */
export interface InProcessApp extends Engine {
  readonly store: SqliteStore;
  readonly source: AcmeSource;
  close(): Promise<void>;
}

/**
 * Builds a complete engine in memory — an in-memory SQLite store, a fresh clone of the Acme
 * source, the offline model — for the benchmarks and the web UI's dev server. Tests use
 * `createTestApp` (test/support), which adds a shared source template and PostgreSQL stores.
 */
export async function createInProcessApp(options: { seed?: boolean } = {}): Promise<InProcessApp> {
  const source = await (await acmeSourceTemplate()).clone();
  const store = await createSqliteStore({ path: ':memory:' });
  const engine = await buildEngine({ store, source, model: createOfflineModel() });
  if (options.seed !== false) await seedAcme(store, engine.audit, engine.clock);
  return {
    ...engine,
    store,
    source,
    async close() {
      await engine.drain();
      await store.close();
      await source.close();
    },
  };
}
