import { createCedarPolicyEngine } from '../policy/cedar-policy-engine.ts';
import type { EntityResolver, PolicyEngine, PrincipalRef } from '../policy/types.ts';
import type { ToolRegistry } from '../tools/types.ts';
import type { GovernanceStore } from './types.ts';

/** Prefix of the synthetic thread ids that carry a hypothetical identity's groups. */
const IDENTITY_PREFIX = 'governance-identity:';

/**
 * Decides for hypothetical agent identities: principals that exist in no store, holding groups
 * the report chooses (a member set's intersection or union).
 */
export interface IdentityDecider {
  /** The principal for an identity named `name` holding exactly `groups`. */
  principal(name: string, groups: readonly string[]): PrincipalRef;
  readonly engine: PolicyEngine;
}

/**
 * Builds the decider on the engine's own entity model rather than beside it: the self-authorized
 * agent is Cedar's `Agent` principal, whose parents are the groups of its thread's identity. A second
 * Cedar engine runs the live engine's policy set (same ids, same version of the text) over a
 * resolver that answers the synthetic thread of each identity with that identity's groups, and
 * reads everything else (documents, tools, users) from the deployment. Nothing is written and
 * the live engine is untouched; the copy lives as long as the report.
 */
export async function createIdentityDecider(deps: {
  policy: PolicyEngine;
  store: GovernanceStore;
  registry?: ToolRegistry;
}): Promise<IdentityDecider> {
  const identities = new Map<string, string[]>();
  const resolver: EntityResolver = {
    async user(id) {
      const user = await deps.store.users.get(id);
      return user && { id: user.id, groups: user.groups, version: user.version };
    },
    async thread(id) {
      const groups = identities.get(id);
      // Only the identities' threads are ever asked for: the replay decides no Thread resource.
      if (groups === undefined) return undefined;
      return { id, ownerId: '', members: [], agent: { id, groups, assigners: [], version: 1 }, version: 1 };
    },
    // Hypothetical identities are reached through their synthetic threads only.
    agent: async () => undefined,
    async document(id) {
      const document = await deps.store.documents.get(id);
      return document && { id, label: document.label, readers: document.readers, version: document.version };
    },
    async tool(name) {
      const tool = deps.registry?.get(name);
      return tool && { name: tool.name, effect: tool.effect, version: deps.registry?.version ?? 0 };
    },
    // No replayed decision is about a message.
    message: async () => undefined,
  };
  const engine = await createCedarPolicyEngine({
    policies: { ...deps.policy.policies() },
    resolver,
    ...(deps.policy.labels ? { labels: deps.policy.labels } : {}),
  });
  return {
    engine,
    principal(name, groups) {
      const threadId = `${IDENTITY_PREFIX}${name}`;
      const known = identities.get(threadId);
      const wanted = [...new Set(groups)].sort();
      // One name, one set of groups: memoized decisions are keyed by the (constant) version.
      if (known !== undefined && known.join('\n') !== wanted.join('\n'))
        throw new Error(`Identity ${name} already holds other groups`);
      identities.set(threadId, wanted);
      return { type: 'Agent', threadId };
    },
  };
}
