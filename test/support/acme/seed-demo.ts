import type { AuditLog } from '../../../src/audit/audit-log.ts';
import type { Clock } from '../../../src/shared/clock.ts';
import type { Store } from '../../../src/storage/types.ts';
import { loadWorkspace } from '../../../src/workspace/load-workspace.ts';
import { seedWorkspace, type SeedReport as WorkspaceSeedReport } from '../../../src/workspace/seed-workspace.ts';
import { ACME_WORKSPACE_DIR } from './acme-source.ts';
import { ACME_DOCUMENTS } from './demo.ts';

/** What seeding changed; all zero on a second run. */
export interface SeedReport extends WorkspaceSeedReport {
  documents: number;
}

/**
 * Seeds the Acme example the way a deployment does (`seedWorkspace` over `examples/acme`: people,
 * agent identities, the "Q3 planning" thread), plus the fixed documents the tests name by id
 * (`ACME_DOCUMENTS`) instead of indexing the documents folder. Idempotent.
 */
export async function seedAcme(store: Store, audit: AuditLog, clock: Clock): Promise<SeedReport> {
  const { config } = await loadWorkspace(ACME_WORKSPACE_DIR);
  const report = await seedWorkspace(config, store, audit, clock);
  let documents = 0;
  for (const document of ACME_DOCUMENTS) {
    const before = await store.documents.get(document.id);
    const after = await store.documents.upsert(document);
    if (!before || before.version !== after.version) documents += 1;
  }
  return { ...report, documents };
}
