import type { Document } from '../../documents/types.ts';
import type { Decision, PolicyEngine, PrincipalRef } from '../../policy/types.ts';
import type { ActingPrincipal } from '../types.ts';

/** ACL principals a person matches, for the search pre-filter: `everyone`, `user:<id>`, `group:<g>`. */
export function readerPrincipalsOf(principal: ActingPrincipal): string[] {
  return ['everyone', `user:${principal.id}`, ...principal.groups.map((group) => `group:${group}`)];
}

/** The policy principal for an acting principal (a human, or the agent in self mode). */
export function policyPrincipalOf(principal: ActingPrincipal, threadId: string): PrincipalRef {
  return principal.mode === 'self' ? { type: 'Agent', threadId } : { type: 'User', id: principal.id };
}

/**
 * A document may be read only when its ACL admits the principal **and** the principal is cleared
 * for its label: two decisions, both must allow.
 */
export async function decideDocumentRead(
  policy: PolicyEngine,
  principal: ActingPrincipal,
  threadId: string,
  document: Pick<Document, 'id' | 'label'>,
): Promise<{ allowed: boolean; policies: string[]; reason?: string }> {
  const ref = policyPrincipalOf(principal, threadId);
  const context = { viaAgent: true, mode: principal.mode };
  const [acl, clearance] = (await policy.authorizeMany([
    { principal: ref, action: 'readDocument', resource: { type: 'Document', id: document.id }, context },
    { principal: ref, action: 'readLabel', resource: { type: 'Label', id: document.label }, context },
  ])) as [Decision, Decision];
  const denied = [acl, clearance].find((decision) => decision.effect !== 'allow');
  const policies = [...new Set([...acl.policies, ...clearance.policies])];
  return denied
    ? { allowed: false, policies: denied.policies, reason: denied.reason ?? 'not allowed' }
    : { allowed: true, policies };
}
