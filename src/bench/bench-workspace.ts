import { defaultWorkspaceDir } from '../app/default-workspace.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { syncDocumentFolders } from '../documents/sync-document-folders.ts';
import type { UserInput } from '../identity/types.ts';
import type { Clock } from '../shared/clock.ts';
import type { FairUseSettings } from '../sources/fair-use.ts';
import type { SqlDataSource } from '../sources/types.ts';
import { workspaceSourceTemplate } from '../sources/workspace/source-template.ts';
import type { Store } from '../storage/types.ts';
import { loadWorkspace } from '../workspace/load-workspace.ts';
import { seedWorkspace, userFromPerson } from '../workspace/seed-workspace.ts';

/** What the benchmarks take from a workspace: its people, first thread, labels, seed and first source. */
export interface BenchWorkspace {
  users: readonly UserInput[];
  thread: { id: string; title: string; ownerId: string; members: readonly string[] };
  /** The catalogue's label ids, `public` first when declared. */
  labels: readonly string[];
  /** Seeds a store the way a deployment does: people, agent identities, threads, documents. */
  seed(store: Store, audit: AuditLog, clock: Clock): Promise<void>;
  /** The first SQL source as a template each benchmark clones (embedded sources only). */
  sourceTemplate(): Promise<{
    clone(options?: { fairUse?: Partial<FairUseSettings> }): Promise<SqlDataSource & { readonly restarts?: number }>;
  }>;
}

/**
 * The workspace a benchmark runs over, loaded through the workspace path like `behalf serve`
 * (default: the one package.json names), so no benchmark names an organisation of its own.
 */
export async function loadBenchWorkspace(dir: string = defaultWorkspaceDir()): Promise<BenchWorkspace> {
  const workspace = await loadWorkspace(dir);
  const { config } = workspace;
  const thread = config.threads[0];
  if (!thread) throw new Error(`${dir} seeds no thread; the benchmarks need one`);
  if (config.people.length < 2) throw new Error(`${dir} lists fewer than two people; the benchmarks need two`);
  return {
    users: config.people.map(userFromPerson),
    thread: { id: thread.id, title: thread.title, ownerId: thread.owner, members: thread.members },
    labels: config.labels.map((label) => label.id),
    async seed(store, audit, clock) {
      await seedWorkspace(config, store, audit, clock);
      await syncDocumentFolders(store.documents, config.documents, { workspaceDir: workspace.dir });
    },
    async sourceTemplate() {
      const spec = config.sources[0];
      if (!spec) throw new Error(`${dir} declares no SQL source`);
      const template = await workspaceSourceTemplate(spec, { workspaceDir: workspace.dir });
      return {
        clone: async (options) => (await template.clone(options)).source,
      };
    },
  };
}
