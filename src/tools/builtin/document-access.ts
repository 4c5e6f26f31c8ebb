import type { Document } from '../../documents/types.ts';
import { aclLabelFor } from '../../policy/label-entity.ts';
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

/**
 * Labels of content read from a document: its classification, plus its access list when that is
 * narrower than everyone — a reader of the answer must be someone who could have read the
 * document themself (SPEC §4), not merely someone cleared for its classification.
 */
export function documentLabels(label: string, readers: readonly string[]): string[] {
  const acl = aclLabelFor(readers);
  return acl ? [label, acl] : [label];
}
