import type { AuditLog } from '../../../src/audit/audit-log.ts';
import type { Clock } from '../../../src/shared/clock.ts';
import type { Store } from '../../../src/storage/types.ts';
import { ACME_AGENT_IDENTITIES, ACME_DOCUMENTS, ACME_THREAD, ACME_USERS } from './demo.ts';

/** What seeding changed; all zero on a second run. */
export interface SeedReport {
  users: number;
  documents: number;
  threads: number;
  agents: number;
}

/**
 * Seeds the Acme people, documents and the "Q3 planning" thread (SPEC §4). Idempotent: existing
 * records are left as they are (an upsert only bumps a version when something changed), and
 * the thread is created once, even by processes seeding one shared database at the same time.
 */
export async function seedAcme(store: Store, audit: AuditLog, clock: Clock): Promise<SeedReport> {
  const report: SeedReport = { users: 0, documents: 0, threads: 0, agents: 0 };
  for (const user of ACME_USERS) {
    const before = await store.users.get(user.id);
    const after = await store.users.upsert(user);
    if (!before || before.version !== after.version) report.users += 1;
  }
  for (const document of ACME_DOCUMENTS) {
    const before = await store.documents.get(document.id);
    const after = await store.documents.upsert(document);
    if (!before || before.version !== after.version) report.documents += 1;
  }
  for (const identity of ACME_AGENT_IDENTITIES) {
    const created = await store.agents.create({
      ...identity,
      groups: [...identity.groups],
      assigners: [...identity.assigners],
      createdAt: clock.now(),
    });
    if (created) report.agents += 1;
  }
  if (!(await store.threads.get(ACME_THREAD.id))) {
    try {
      await store.threads.create(
        {
          id: ACME_THREAD.id,
          title: ACME_THREAD.title,
          ownerId: ACME_THREAD.ownerId,
          mode: 'user',
          agentId: null,
          createdAt: clock.now(),
        },
        [...ACME_THREAD.members],
      );
      report.threads += 1;
    } catch (error) {
      // Processes of one deployment starting together on a fresh database: another one created
      // the thread between our check and our insert.
      if (!(await store.threads.get(ACME_THREAD.id))) throw error;
    }
  }
  if (report.users + report.documents + report.threads + report.agents > 0) {
    await audit.append({
      requester: null,
      agent: null,
      mode: 'direct',
      threadId: null,
      runId: null,
      action: 'demo.seed',
      resource: 'deployment',
      decision: 'allow',
      policies: [],
      reason: `seeded ${report.users} users, ${report.documents} documents, ${report.threads} threads, ${report.agents} agent identities`,
    });
  }
  return report;
}
