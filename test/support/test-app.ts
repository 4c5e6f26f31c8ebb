import { fileURLToPath } from 'node:url';
import type { LanguageModel } from 'ai';
import { createOfflineModel } from '../../src/agent/model/offline-model.ts';
import { buildEngine, type Engine, type EngineOptions } from '../../src/app/build-engine.ts';
import type { App } from '../../src/app/create-app.ts';
import type { Clock } from '../../src/shared/clock.ts';
import type { IdGenerator } from '../../src/shared/ids.ts';
import type { FairUseSettings } from '../../src/sources/index.ts';
import type { CompiledAction } from '../../src/sources/workspace/source-action.ts';
import type { SqliteStore, Store } from '../../src/storage/index.ts';
import { configFindings } from '../../src/workspace/config-findings.ts';
import { loadWorkspace, type Workspace } from '../../src/workspace/load-workspace.ts';
import { type AcmeSource, type AcmeSourceTemplate, acmeActions, acmeSourceTemplate } from './acme/acme-source.ts';
import { seedAcme } from './acme/seed-demo.ts';
import { openTestStore, type TestStoreKind, type TestStoreOf } from './test-store.ts';

export type { TestStoreKind, TestStoreOf } from './test-store.ts';

/**
 * A whole engine in-process, on a store of its own and a cloned Acme source. The store is an
 * in-memory SQLite database unless the app was built with `store: 'postgres'`.
 */
export interface TestApp<AppStore extends Store = SqliteStore> extends App {
  readonly store: AppStore;
  readonly source: AcmeSource;
  close(): Promise<void>;
}

/** What `createTestApp` builds: the store, the model and engine settings, the seed, the source. */
export interface TestAppOptions<Kind extends TestStoreKind = 'sqlite'> {
  /**
   * The store: `'sqlite'` (default) is an in-memory database; `'postgres'` is a database of its
   * own, created on the server of `postgresUrl`, migrated, and dropped by `close()`.
   */
  store?: Kind;
  /** Administrative connection string of the PostgreSQL server, for `store: 'postgres'`. */
  postgresUrl?: string;
  model?: LanguageModel;
  clock?: Clock;
  ids?: IdGenerator;
  policies?: Record<string, string>;
  limits?: EngineOptions['limits'];
  extraTools?: EngineOptions['extraTools'];
  /** Seed Acme people, documents and "Q3 planning" (default true). */
  seed?: boolean;
  /** Use this source instead of a fresh clone (tests that share one source across apps). */
  source?: AcmeSource;
  /** Fair-use settings of the cloned source (cost budget, per-person queues). */
  sourceFairUse?: Partial<FairUseSettings>;
  /** `iss` of delegation grants (default `http://localhost:8787`): a test server's URL. */
  issuer?: string;
  /** Serve `examples/acme` as the workspace (the administrator's page; default true). */
  workspace?: boolean;
}

// One seeded snapshot per test process; each app gets its own clone (~0.7 s instead of 2–3 s).
let template: Promise<AcmeSourceTemplate> | undefined;
let actions: Promise<CompiledAction[]> | undefined;
let acmeWorkspace: Promise<Workspace> | undefined;

/** Builds a complete app for a test (STYLE: one fixture builds a whole app). Close it afterwards. */
export async function createTestApp<Kind extends TestStoreKind = 'sqlite'>(
  options: TestAppOptions<Kind> = {},
): Promise<TestApp<TestStoreOf<Kind>>> {
  template ??= acmeSourceTemplate();
  actions ??= acmeActions();
  const source =
    options.source ??
    (await (await template).clone(options.sourceFairUse ? { fairUse: options.sourceFairUse } : undefined));
  const { store, close: closeStore } = await openTestStore<Kind>({
    kind: options.store ?? ('sqlite' as Kind),
    ...(options.postgresUrl ? { postgresUrl: options.postgresUrl } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const release = async () => {
    await closeStore();
    if (!options.source) await source.close();
  };
  let app: Engine;
  try {
    acmeWorkspace ??= loadWorkspace(fileURLToPath(new URL('../../examples/acme', import.meta.url)));
    const workspace = options.workspace === false ? undefined : await acmeWorkspace;
    app = await buildEngine({
      store,
      // As a deployment serves examples/acme: its one source behind `sql`, `create_ticket` its action.
      sqlSources: [{ source, toolName: 'sql', sourceName: 'acme', actions: await actions }],
      model: options.model ?? createOfflineModel(),
      ...(options.policies ? { policies: options.policies } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.ids ? { ids: options.ids } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.extraTools ? { extraTools: options.extraTools } : {}),
      ...(options.issuer ? { issuer: options.issuer } : {}),
      ...(workspace
        ? { workspace: workspace.config, workspaceAdmin: { doctor: () => configFindings(workspace) } }
        : {}),
    });
    if (options.seed !== false) await seedAcme(store, app.audit, app.clock);
  } catch (error) {
    // A PostgreSQL app's database would otherwise outlive the failed test.
    await release();
    throw error;
  }
  return {
    ...app,
    store,
    source,
    async close() {
      await app.drain();
      await release();
    },
  };
}
