import { isActiveUser } from '../identity/active-users.ts';
import type { EntityResolver } from '../policy/types.ts';
import type { Store } from '../storage/types.ts';
import type { ToolRegistry } from '../tools/types.ts';

/**
 * Loads policy entities from the store at decision time, each with the version that makes the
 * engine's memoized decisions miss as soon as anything involved changes (I3). Only active people
 * are principals: a deprovisioned one resolves to nothing, so policy denies them everything.
 */
export function storeEntityResolver(store: Store, registry: ToolRegistry): EntityResolver {
  // Member lists by thread and version: a thread's version changes with every membership change,
  // so a list cached under the version just read is exactly current (I3) — and a decision on a
  // 200-member thread reads one row instead of 200.
  const members = new Map<string, { version: number; members: string[] }>();
  const membersOf = async (threadId: string, version: number): Promise<string[]> => {
    const cached = members.get(threadId);
    if (cached?.version === version) return cached.members;
    const current = await store.threads.members(threadId);
    if (members.size >= 10_000) members.clear();
    members.set(threadId, { version, members: current });
    return current;
  };
  const agentOf = async (id: string) => {
    const agent = await store.agents.get(id);
    return agent && { id: agent.id, groups: agent.groups, assigners: agent.assigners, version: agent.version };
  };
  return {
    async user(id) {
      const user = await store.users.get(id);
      // A deprovisioned or deleted person is unknown to policy: every decision about them
      // denies (fail closed), at the next decision, since deactivation bumps their version (I3).
      if (!user || !isActiveUser(user)) return undefined;
      return { id: user.id, groups: user.groups, version: user.version };
    },
    async thread(id) {
      const thread = await store.threads.get(id);
      if (!thread) return undefined;
      return {
        id: thread.id,
        ownerId: thread.ownerId,
        members: await membersOf(id, thread.version),
        agent: (thread.agentId && (await agentOf(thread.agentId))) || null,
        version: thread.version,
      };
    },
    agent: agentOf,
    async document(id) {
      const document = await store.documents.get(id);
      return (
        document && { id: document.id, label: document.label, readers: document.readers, version: document.version }
      );
    },
    async tool(name) {
      const tool = registry.get(name);
      return tool && { name: tool.name, effect: tool.effect, version: registry.version };
    },
    async message(id) {
      const message = await store.messages.get(id);
      // Only sharing changes a message after it is stored, and each share adds readers.
      return (
        message && {
          id: message.id,
          threadId: message.threadId,
          requesterId: message.requesterId,
          labels: message.labels,
          version: 1 + message.sharedWith.length,
        }
      );
    },
  };
}
