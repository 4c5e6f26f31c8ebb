import type { GrantCheck, GrantExpectation } from '../delegation/types.ts';
import { GrantRefusedError } from './tool-errors.ts';
import type { ToolContext } from './types.ts';

/** The part of the grant authority an in-process tool needs: checking the grant it was handed. */
export interface GrantChecker {
  verifyInProcess(grant: unknown, expectation: GrantExpectation): GrantCheck;
}

/**
 * First line of every in-process tool (I2): the grant must be one the authority minted, still
 * valid, for this tool, this run and this thread, and unused. The identity the tool then acts
 * as is the grant's `sub` — never anything from the arguments.
 */
export function requireGrant(checker: GrantChecker, context: ToolContext, audience: string): { subject: string } {
  const check = checker.verifyInProcess(context.grant, {
    audience,
    threadId: context.threadId,
    runId: context.runId,
    preventReplay: true,
  });
  if (!check.ok) throw new GrantRefusedError(`${check.reason}: ${check.message}`);
  if (check.claims.sub !== context.principal.id) throw new GrantRefusedError('the grant is for another principal');
  return { subject: check.claims.sub };
}
