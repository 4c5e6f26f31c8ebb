import type { GrantCheck, GrantClaims, GrantExpectation, GrantRejection } from './types.ts';

/** A refused grant, as a value. */
export type GrantRefusal = Extract<GrantCheck, { ok: false }>;

/** Builds a refusal. Messages name what failed, never token contents. */
export function refuse(reason: GrantRejection, message: string): GrantRefusal {
  return { ok: false, reason, message };
}

/**
 * The binding checks shared by in-process and signed grants: the grant is for this audience,
 * and for this thread and run when the caller names them. Returns null when all match.
 */
export function checkBinding(claims: Readonly<GrantClaims>, expectation: GrantExpectation): GrantRefusal | null {
  if (claims.aud !== expectation.audience) return refuse('bad_audience', 'grant is for another audience');
  if (expectation.threadId !== undefined && claims.thread !== expectation.threadId) {
    return refuse('wrong_thread', 'grant is for another thread');
  }
  if (expectation.runId !== undefined && claims.run !== expectation.runId) {
    return refuse('wrong_run', 'grant is for another run');
  }
  return null;
}
