import type { User, UserId } from '../identity/types.ts';
import type { GovernanceStore, GovernanceThreadRef } from './types.ts';

/** The people and threads of a deployment, as they are now. */
export interface DeploymentSnapshot {
  users: ReadonlyMap<UserId, User>;
  /** Every group some user holds, sorted. */
  groups: string[];
  /** Sorted by creation time, then id. */
  threads: GovernanceThreadRef[];
}

/**
 * Reads users and threads with their current members. The thread store lists threads per member
 * only, so threads are gathered from every user's list, plus the threads the audit log names
 * (one whose members all left is still a thread whose agent worked).
 */
export async function readDeployment(
  store: GovernanceStore,
  auditThreadIds: Iterable<string>,
): Promise<DeploymentSnapshot> {
  const users = new Map((await store.users.list()).map((user) => [user.id, user]));
  const found = new Map<
    string,
    { id: string; title: string; mode: GovernanceThreadRef['mode']; agentId: string | null; createdAt: number }
  >();
  for (const userId of users.keys()) {
    for (const thread of await store.threads.listForUser(userId)) found.set(thread.id, thread);
  }
  for (const threadId of auditThreadIds) {
    if (found.has(threadId)) continue;
    const thread = await store.threads.get(threadId);
    if (thread) found.set(thread.id, thread);
  }
  const ordered = [...found.values()].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  const threads: GovernanceThreadRef[] = [];
  for (const thread of ordered) {
    const members = [...(await store.threads.members(thread.id))].sort();
    threads.push({ id: thread.id, title: thread.title, mode: thread.mode, agentId: thread.agentId, members });
  }
  const groups = [...new Set([...users.values()].flatMap((user) => user.groups))].sort();
  return { users, groups, threads };
}
