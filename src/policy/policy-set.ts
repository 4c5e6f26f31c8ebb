import { checkParseSchema, type DetailedError, policyToJson, validate } from '@cedar-policy/cedar-wasm/nodejs';

/** What the engine needs to know about one policy to explain a decision. */
export interface PolicyFacts {
  effect: 'permit' | 'forbid';
  /** The `@reason` annotation, shown to people and written to audit records. */
  reason?: string;
}

/** One problem found in a policy set, tied to the policy it concerns when there is one. */
export interface PolicyProblem {
  policyId?: string;
  message: string;
  /** Offset of the problem in the policy's text, when Cedar reports one. */
  offset?: number;
}

/** Policy ids are kebab-case: they go into audit records and reasons. */
export const POLICY_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Renders Cedar's error with its help text, on one line. */
export function describeCedarError(error: DetailedError): string {
  return error.help ? `${error.message} (${error.help})` : error.message;
}

/** Checks that a schema parses; returns the problems (empty when it does). */
export function checkSchema(schema: string): PolicyProblem[] {
  const answer = checkParseSchema(schema);
  if (answer.type === 'success') return [];
  return answer.errors.map((error) => ({ message: `schema: ${describeCedarError(error)}` }));
}

/**
 * Checks a policy set keyed by policy id: each text is exactly one static policy whose `@id`
 * equals its key, and the whole set passes Cedar's strict validation against the schema.
 * Returns the facts of every policy, or every problem found (never a partial set).
 */
export function checkPolicySet(
  policies: Readonly<Record<string, string>>,
  schema: string,
): { facts: Map<string, PolicyFacts> } | { problems: PolicyProblem[] } {
  const problems: PolicyProblem[] = [];
  const facts = new Map<string, PolicyFacts>();
  const entries = Object.entries(policies);
  if (entries.length === 0) problems.push({ message: 'the policy set is empty (it would deny everything)' });

  for (const [policyId, text] of entries) {
    const parsed = policyToJson(text);
    if (parsed.type === 'failure') {
      for (const error of parsed.errors) {
        problems.push({ policyId, message: describeCedarError(error), offset: error.sourceLocations?.[0]?.start });
      }
      continue;
    }
    const annotations = parsed.json.annotations ?? {};
    if (annotations.id === undefined) problems.push({ policyId, message: 'missing @id annotation' });
    else if (annotations.id !== policyId) {
      problems.push({ policyId, message: `@id("${annotations.id}") does not match the key "${policyId}"` });
    }
    if (!POLICY_ID_PATTERN.test(policyId)) problems.push({ policyId, message: 'policy ids must be kebab-case' });
    facts.set(policyId, { effect: parsed.json.effect, reason: annotations.reason });
  }
  if (problems.length > 0) return { problems };

  problems.push(...checkSchema(schema));
  if (problems.length > 0) return { problems };

  const answer = validate({
    schema,
    policies: { staticPolicies: { ...policies } },
    validationSettings: { mode: 'strict' },
  });
  if (answer.type === 'failure') {
    return { problems: answer.errors.map((error) => ({ message: describeCedarError(error) })) };
  }
  for (const { policyId, error } of answer.validationErrors) {
    problems.push({ policyId, message: describeCedarError(error), offset: error.sourceLocations?.[0]?.start });
  }
  return problems.length > 0 ? { problems } : { facts };
}

/** Formats problems for an `AppError('policy_invalid')` message. */
export function formatProblems(problems: readonly PolicyProblem[]): string {
  return problems
    .map((problem) => (problem.policyId ? `${problem.policyId}: ${problem.message}` : problem.message))
    .join('; ');
}
