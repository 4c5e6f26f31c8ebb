import type { User, UserId } from '../identity/types.ts';
import type { Audience } from '../threads/types.ts';
import type { VisibilityChecker } from '../threads/visibility.ts';

/** Where an answer goes, and why. */
export interface DisclosureDecision {
  audience: Audience;
  /** Set when the answer is private: shown to the requester ("only you can see this, because …"). */
  reason: string | null;
  /** Members not cleared for some label, with those labels. */
  uncleared: Array<{ userId: UserId; labels: string[] }>;
  policies: string[];
}

/**
 * Disclosure guard (SPEC I5): an answer goes to the whole thread only if every current member is
 * cleared for every one of its labels; otherwise it is delivered privately to the requester,
 * with the reason. An answer without labels, or with a label nobody is cleared for, is
 * unclassified and stays private (fail closed).
 */
export async function decideDisclosure(input: {
  requesterId: UserId;
  labels: readonly string[];
  members: readonly UserId[];
  visibility: VisibilityChecker;
  people: ReadonlyMap<UserId, User>;
}): Promise<DisclosureDecision> {
  const uncleared: DisclosureDecision['uncleared'] = [];
  const policies = new Set<string>();
  const others = input.members.filter((member) => member !== input.requesterId);
  const clearances = await Promise.all(others.map((member) => input.visibility.clearance(member, input.labels)));
  others.forEach((member, index) => {
    const clearance = clearances[index];
    if (!clearance) return;
    for (const policy of clearance.policies) policies.add(policy);
    if (!clearance.cleared)
      uncleared.push({ userId: member, labels: clearance.missing.length > 0 ? clearance.missing : ['unclassified'] });
  });
  if (input.labels.length === 0) {
    return {
      audience: { kind: 'users', users: [input.requesterId] },
      reason: 'its data is unclassified',
      uncleared,
      policies: [...policies],
    };
  }
  if (uncleared.length === 0) return { audience: { kind: 'thread' }, reason: null, uncleared, policies: [...policies] };
  return {
    audience: { kind: 'users', users: [input.requesterId] },
    reason: explain(uncleared, input.people),
    uncleared,
    policies: [...policies],
  };
}

function explain(uncleared: DisclosureDecision['uncleared'], people: ReadonlyMap<UserId, User>): string {
  const labels = [...new Set(uncleared.flatMap((entry) => entry.labels))];
  const names = uncleared.map((entry) => people.get(entry.userId)?.name ?? entry.userId);
  const who = names.length === 1 ? `${names[0]} is` : `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are`;
  return `it contains ${labels.join(', ')} data that ${who} not cleared for`;
}
