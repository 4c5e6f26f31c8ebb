import type { GrantCheck, GrantExpectation } from '../delegation/types.ts';
import { GrantRefusedError } from './tool-errors.ts';
import type { ActingPrincipal, ToolContext } from './types.ts';

/** The part of the grant authority an in-process tool needs: checking the grant it was handed. */
export interface GrantChecker {
  verifyInProcess(grant: unknown, expectation: GrantExpectation): GrantCheck;
}

/**
 * First line of every in-process tool (I2): the grant must be one the authority minted, still
 * valid, for this tool, this run and this thread, and unused. The principal the tool then acts
 * as comes from the grant alone — its subject, the subject's groups as the gateway minted them,
 * the mode and the human requester — never from the arguments or anything else in the context.
 */
export function requireGrant(
  checker: GrantChecker,
  context: ToolContext,
  audience: string,
): { subject: string; principal: ActingPrincipal } {
  const check = checker.verifyInProcess(context.grant, {
    audience,
    threadId: context.threadId,
    runId: context.runId,
    callId: context.callId,
    preventReplay: true,
  });
  if (!check.ok) throw new GrantRefusedError(`${check.reason}: ${check.message}`);
  const { claims } = check;
  const mode = claims.mode === 'self' ? 'self' : 'user';
  const principal: ActingPrincipal = {
    id: claims.sub,
    groups: [...(check.subjectGroups ?? [])],
    mode,
    requester: claims.requester ?? claims.sub,
  };
  return { subject: claims.sub, principal };
}
