import { createOfflineModel } from '../agent/model/offline-model.ts';
import { syncDocumentFolders } from '../documents/sync-document-folders.ts';
import { workspaceSourceTemplate } from '../sources/workspace/source-template.ts';
import { createSqliteStore, type SqliteStore } from '../storage/index.ts';
import { loadWorkspace } from '../workspace/load-workspace.ts';
import { seedWorkspace } from '../workspace/seed-workspace.ts';
import { sourceToolName } from '../workspace/workspace-references.ts';
import { buildEngine, type Engine } from './build-engine.ts';
import { defaultWorkspaceDir } from './default-workspace.ts';

/** A whole engine in one process on throwaway storage, with the store it runs on. */
export interface InProcessApp extends Engine {
  readonly store: SqliteStore;
  close(): Promise<void>;
}

/**
 * Builds a complete engine in memory — an in-memory SQLite store, fresh embedded copies of the
 * workspace's sources (the default workspace unless one is named), the offline model — for the
 * benchmarks and the web UI's dev server. Tests use `createTestApp` (test/support), which adds a
 * shared source template and PostgreSQL stores.
 */
export async function createInProcessApp(options: { seed?: boolean; workspace?: string } = {}): Promise<InProcessApp> {
  const workspace = await loadWorkspace(options.workspace ?? defaultWorkspaceDir());
  const opened = await Promise.all(
    workspace.config.sources.map(async (spec) =>
      (await workspaceSourceTemplate(spec, { workspaceDir: workspace.dir })).clone(),
    ),
  );
  const sqlSources = opened.map(({ source, actions }, index) => ({
    source,
    toolName: sourceToolName(workspace.config, index),
    sourceName: source.name,
    actions,
  }));
  const store = await createSqliteStore({ path: ':memory:' });
  const engine = await buildEngine({ store, sqlSources, model: createOfflineModel(), workspace: workspace.config });
  if (options.seed !== false) {
    await seedWorkspace(workspace.config, store, engine.audit, engine.clock);
    await syncDocumentFolders(store.documents, workspace.config.documents, { workspaceDir: workspace.dir });
  }
  return {
    ...engine,
    store,
    async close() {
      await engine.drain();
      await store.close();
      await Promise.all(opened.map(({ source }) => source.close()));
    },
  };
}
