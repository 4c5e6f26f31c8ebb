import type { AgentIdentity, User, UserId } from '../identity/types.ts';
import { identityGroupsOf, memberSetKey } from './identity-groups.ts';
import { distinctIntents } from './intents.ts';
import type { GovernanceIntent, GovernanceThreadRef, IdentitiesSection, IdentityMemberSet } from './types.ts';

/** Key of the member set of a thread nobody belongs to any more. */
export const NO_MEMBERS_KEY = '(no members)';

/**
 * Section 1. Threads with the same current members share one set of identities (the same people
 * get the same agent); each member set needs one identity per intent of any of its threads. The
 * groups are those of the members now — the identity an admin would provision today.
 */
export function identitiesSection(
  threads: readonly GovernanceThreadRef[],
  intentsOf: (threadId: string) => GovernanceIntent[],
  users: ReadonlyMap<UserId, User>,
  provisioned: readonly AgentIdentity[] = [],
): IdentitiesSection {
  const sets = new Map<string, { members: UserId[]; threads: GovernanceThreadRef[]; intents: GovernanceIntent[] }>();
  for (const thread of threads) {
    const key = keyOf(thread.members);
    const set = sets.get(key) ?? { members: thread.members, threads: [], intents: [] };
    set.threads.push(thread);
    set.intents.push(...intentsOf(thread.id));
    sets.set(key, set);
  }
  const memberSets: IdentityMemberSet[] = [...sets.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, set]) => {
      const groups = identityGroupsOf(set.members.map((id) => users.get(id)?.groups ?? []));
      const intents = distinctIntents(set.intents);
      const lcd = new Set(groups.lcd);
      return {
        key,
        members: set.members,
        threads: set.threads,
        intents,
        identities: intents.length,
        lcdGroups: groups.lcd,
        unionGroups: groups.union,
        unionOnlyGroups: groups.union.filter((group) => !lcd.has(group)),
      };
    });
  return {
    selfAuthorized: memberSets.reduce((sum, set) => sum + set.identities, 0),
    userAuthorized: 0,
    memberSets,
    provisioned: provisioned.map((identity) => ({
      id: identity.id,
      name: identity.name,
      groups: [...identity.groups],
      provisionedBy: identity.provisionedBy,
      threads: threads
        .filter((thread) => thread.mode === 'self' && thread.agentId === identity.id)
        .map((thread) => thread.id),
    })),
  };
}

/** The member-set key of a thread's members. */
export function keyOf(members: readonly UserId[]): string {
  return members.length > 0 ? memberSetKey(members) : NO_MEMBERS_KEY;
}
