import { openDeployment } from '../../app/open-deployment.ts';
import { parsePolicyResource } from '../../policy/resource-text.ts';
import type { PolicyAction, PrincipalRef, ResourceRef } from '../../policy/types.ts';
import { isAppError } from '../../protocol/errors.ts';
import { POLICY_ACTIONS } from '../../protocol/wire.ts';
import { EXIT } from '../exit-codes.ts';
import type { CommandOutput } from '../output.ts';
import { UsageError } from './audit.ts';

/**
 * `behalf policy check --user U --action A --resource R`: one decision against the deployment's
 * current policies and entities, with the policies that determined it. Exit 0 allow, 1 deny.
 */
export async function policyCheckCommand(
  options: { data: string; user: string; action: string; resource: string; viaAgent?: boolean; json?: boolean },
  output: CommandOutput,
): Promise<number> {
  const action = POLICY_ACTIONS.find((candidate) => candidate === options.action);
  if (!action) throw new UsageError(`--action must be one of: ${POLICY_ACTIONS.join(', ')}`);
  const resource = parseResource(options.resource, action);
  const principal: PrincipalRef = options.user.startsWith('agent:')
    ? { type: 'Agent', threadId: options.user.slice('agent:'.length) }
    : { type: 'User', id: options.user };
  const deployment = await openDeployment({ dataDir: options.data, env: process.env, seed: false });
  try {
    const decision = await deployment.app.policy.authorize({
      principal,
      action,
      resource,
      context: { viaAgent: options.viaAgent ?? false, mode: principal.type === 'Agent' ? 'self' : 'user' },
    });
    if (options.json) output.out(JSON.stringify(decision));
    else {
      output.out(`${decision.effect.toUpperCase()}: ${options.user} ${action} ${options.resource}`);
      output.out(`policies: ${decision.policies.join(', ') || '(none — no policy permits it)'}`);
      if (decision.reason) output.out(`reason: ${decision.reason}`);
    }
    return decision.effect === 'allow' ? EXIT.ok : EXIT.negative;
  } finally {
    await deployment.close();
  }
}

/** `label:hr-confidential`, `thread:thr_q3_planning`, `Tool::"sql"`, `auditlog`: a usage error otherwise. */
export function parseResource(text: string, action?: PolicyAction): ResourceRef {
  try {
    return parsePolicyResource(text, action);
  } catch (error) {
    if (isAppError(error)) throw new UsageError(`--${error.message}`);
    throw error;
  }
}
