/**
 * The groups an agent identity for a set of people would hold, in the two ways an admin can
 * provision it: the least common denominator (only what every member holds, so the agent never
 * shows anyone more than they could see themself, at the price of capability) or the union (what
 * makes every member's request work, at the price of a confused deputy: the agent can do for
 * anyone what only some member, or no member alone, may do).
 */
export interface IdentityGroups {
  lcd: string[];
  union: string[];
}

/** Intersection and union of the members' groups, each sorted. No members: both empty. */
export function identityGroupsOf(memberGroups: ReadonlyArray<readonly string[]>): IdentityGroups {
  const [first, ...rest] = memberGroups;
  if (first === undefined) return { lcd: [], union: [] };
  const lcd = new Set(first);
  const union = new Set(first);
  for (const groups of rest) {
    const held = new Set(groups);
    for (const group of lcd) if (!held.has(group)) lcd.delete(group);
    for (const group of groups) union.add(group);
  }
  return { lcd: [...lcd].sort(), union: [...union].sort() };
}

/** The key naming a member set: sorted ids joined by `+` (`alice+bob+carol`). */
export function memberSetKey(members: readonly string[]): string {
  return [...members].sort().join('+');
}
