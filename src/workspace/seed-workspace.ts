import type { AuditLog } from '../audit/audit-log.ts';
import type { UserInput } from '../identity/types.ts';
import type { Clock } from '../shared/clock.ts';
import type { Store } from '../storage/types.ts';
import type { PersonSpec, WorkspaceConfig } from './workspace-config.ts';

/** What seeding changed; all zero on a second run with the same workspace. */
export interface SeedReport {
  users: number;
  threads: number;
  agents: number;
}

/** A workspace person as the user directory holds them. */
export function userFromPerson(person: PersonSpec): UserInput {
  return {
    id: person.id,
    name: person.name,
    title: person.title ?? '',
    groups: [...person.groups],
    managerId: person.manager ?? null,
    email: person.email ?? null,
    attributes: { ...person.attributes },
  };
}

/**
 * Brings the store up to the workspace's people, agent identities and seeded threads. Idempotent:
 * an upsert bumps a person's version only when something changed (so memoized decisions about
 * them end, I3), and a thread or identity that exists is left alone — people may have changed
 * them since. Processes seeding one shared database at once create each thread once.
 */
export async function seedWorkspace(
  config: Pick<WorkspaceConfig, 'name' | 'people' | 'agents' | 'threads'>,
  store: Store,
  audit: AuditLog,
  clock: Clock,
): Promise<SeedReport> {
  const report: SeedReport = { users: 0, threads: 0, agents: 0 };
  for (const person of config.people) {
    const before = await store.users.get(person.id);
    // Someone the identity provider provisioned (SCIM) is kept current by it: a restart must not
    // undo a group change or reactivate a person it deprovisioned.
    if (before?.userName) continue;
    const after = await store.users.upsert(userFromPerson(person));
    if (!before || before.version !== after.version) report.users += 1;
  }
  for (const identity of config.agents) {
    const created = await store.agents.create({
      ...identity,
      groups: [...identity.groups],
      assigners: [...identity.assigners],
      createdAt: clock.now(),
    });
    if (created) report.agents += 1;
  }
  for (const thread of config.threads) {
    if (await store.threads.get(thread.id)) continue;
    try {
      await store.threads.create(
        {
          id: thread.id,
          title: thread.title,
          ownerId: thread.owner,
          mode: 'user',
          agentId: null,
          createdAt: clock.now(),
        },
        [...new Set(thread.members)],
      );
      report.threads += 1;
    } catch (error) {
      // Another process of this deployment created it between our check and our insert.
      if (!(await store.threads.get(thread.id))) throw error;
    }
  }
  if (report.users + report.threads + report.agents > 0) {
    await audit.append({
      requester: null,
      agent: null,
      mode: 'direct',
      threadId: null,
      runId: null,
      action: 'workspace.seed',
      resource: 'deployment',
      decision: 'allow',
      policies: [],
      reason: `workspace ${config.name}: ${report.users} people, ${report.threads} threads, ${report.agents} agent identities`,
    });
  }
  return report;
}
