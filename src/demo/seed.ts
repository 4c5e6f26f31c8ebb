import type { AuditLog } from '../audit/audit-log.ts';
import { syncDocumentFolders } from '../documents/sync-document-folders.ts';
import type { Clock } from '../shared/clock.ts';
import type { Store } from '../storage/types.ts';
import { loadWorkspace } from '../workspace/load-workspace.ts';
import { seedWorkspace } from '../workspace/seed-workspace.ts';
import { ACME_WORKSPACE_DIR } from './acme.ts';

/**
 * Kept only because `src/bench` imports it (see `./acme.ts`): seeds `examples/acme` the way a
 * deployment does, people, agent identities, threads and documents. Delete it with that change.
 */
export async function seedAcme(store: Store, audit: AuditLog, clock: Clock): Promise<void> {
  const workspace = await loadWorkspace(ACME_WORKSPACE_DIR);
  await seedWorkspace(workspace.config, store, audit, clock);
  await syncDocumentFolders(store.documents, workspace.config.documents, { workspaceDir: workspace.dir });
}
