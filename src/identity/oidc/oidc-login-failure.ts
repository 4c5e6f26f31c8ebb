import type { OidcLoginErrorCode } from '../../protocol/login-errors.ts';

/** A refused login, as a value: the code for the browser and a detailed reason for the audit log. */
export interface OidcLoginFailure {
  ok: false;
  code: OidcLoginErrorCode;
  /** Detailed, token-free reason (`unexpected JWT "aud" (audience) claim value`). */
  reason: string;
}

/** Builds a refusal. */
export function loginFailure(code: OidcLoginErrorCode, reason: string): OidcLoginFailure {
  return { ok: false, code, reason: reason.slice(0, 500) };
}
