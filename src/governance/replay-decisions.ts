import type { DecisionContext, PolicyEngine, PrincipalRef } from '../policy/types.ts';
import type { AccessCheck, CheckRequest } from './access-checks.ts';

/** Decides one check request for one principal; true when allowed. */
export type CheckDecider = (request: CheckRequest) => Promise<boolean>;

/** How one identity design compares with the human on one record. */
export interface CheckDifference {
  /** Subjects the human got and the identity would be denied. */
  lost: string[];
  /** Subjects the human was denied (and is not allowed now) that the identity would get. */
  gained: string[];
}

/**
 * A decider for `principal`, memoized for the life of one report: the replay asks the same
 * clearance questions thousands of times. The context is the gateway's — the agent acts
 * (`viaAgent`), in user mode for a human and self mode for an identity.
 */
export function memoizedDecider(engine: PolicyEngine, principal: PrincipalRef): CheckDecider {
  const context: DecisionContext = { viaAgent: true, mode: principal.type === 'User' ? 'user' : 'self' };
  const memo = new Map<string, Promise<boolean>>();
  return (request) => {
    const key = `${request.action}|${request.resource.type}|${request.resource.id}`;
    let decision = memo.get(key);
    if (decision === undefined) {
      decision = engine
        .authorize({ principal, action: request.action, resource: request.resource, context })
        .then((answer) => answer.effect === 'allow');
      memo.set(key, decision);
    }
    return decision;
  };
}

/** Whether every request of the check is allowed (a check with no request is allowed). */
export async function allows(decide: CheckDecider, check: AccessCheck): Promise<boolean> {
  for (const request of check.requests) if (!(await decide(request))) return false;
  return true;
}

/**
 * Compares the human with each identity on one record's checks. Lost: the human got it, the
 * identity is denied. Gained: the human did not get it and is not allowed it now either (so a
 * refusal since lifted by policy is no over-privilege), and the identity is allowed.
 */
export async function compareChecks(
  checks: readonly AccessCheck[],
  human: CheckDecider,
  identities: readonly CheckDecider[],
): Promise<CheckDifference[]> {
  const differences = identities.map((): CheckDifference => ({ lost: [], gained: [] }));
  for (const check of checks) {
    let humanAllowed: boolean | undefined;
    for (const [index, identity] of identities.entries()) {
      const difference = differences[index] as CheckDifference;
      const identityAllowed = await allows(identity, check);
      if (check.got) {
        if (!identityAllowed) difference.lost.push(check.subject);
      } else if (identityAllowed) {
        humanAllowed ??= await allows(human, check);
        if (!humanAllowed) difference.gained.push(check.subject);
      }
    }
  }
  return differences;
}
