import type { AuthorizationAnswer } from '@cedar-policy/cedar-wasm/nodejs';
import type { PolicyFacts } from './policy-set.ts';
import { describeCedarError } from './policy-set.ts';
import type { Decision, PolicyAction } from './types.ts';

/** Names used to explain a decision: `No policy allows bob to readLabel hr-confidential`. */
export interface DecisionSubject {
  principal: string;
  action: PolicyAction;
  resource: string;
}

/** A Cedar answer as a Decision, and whether it may be memoized. */
export interface InterpretedAnswer {
  decision: Decision;
  /** Only clean evaluations are memoized; errors are re-evaluated (and re-reported) every time. */
  cacheable: boolean;
}

/** A deny that no policy made: a missing entity, a resolver error, a Cedar failure. */
export function failClosed(reason: string): Decision {
  return { effect: 'deny', policies: [], reason };
}

/**
 * Turns Cedar's answer into a Decision. Fails closed: a request Cedar refuses, or any policy
 * that errors during evaluation, is a deny. Cedar itself skips an erroring policy, which for
 * a forbid would allow; here an error anywhere denies.
 */
export function interpretAnswer(
  answer: AuthorizationAnswer,
  facts: ReadonlyMap<string, PolicyFacts>,
  subject: DecisionSubject,
): InterpretedAnswer {
  if (answer.type === 'failure') {
    const detail = answer.errors.map(describeCedarError).join('; ');
    return { decision: failClosed(`Authorization request refused by Cedar: ${detail}`), cacheable: false };
  }
  const { decision, diagnostics } = answer.response;
  if (diagnostics.errors.length > 0) {
    const policies = [...new Set(diagnostics.errors.map((error) => error.policyId))];
    const detail = diagnostics.errors.map((error) => `${error.policyId}: ${error.error.message}`).join('; ');
    return { decision: { effect: 'deny', policies, reason: `Policy evaluation failed: ${detail}` }, cacheable: false };
  }
  const policies = [...diagnostics.reason];
  if (decision === 'allow') {
    return { decision: { effect: 'allow', policies, reason: reasonsOf(policies, facts) }, cacheable: true };
  }
  const reason =
    policies.length > 0
      ? reasonsOf(policies, facts)
      : `No policy allows ${subject.principal} to ${subject.action} ${subject.resource}`;
  return { decision: { effect: 'deny', policies, reason }, cacheable: true };
}

function reasonsOf(policies: readonly string[], facts: ReadonlyMap<string, PolicyFacts>): string {
  return policies.map((id) => facts.get(id)?.reason ?? `Decided by policy ${id}`).join('; ');
}
