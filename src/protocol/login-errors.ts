/**
 * Why an OIDC login was refused (`GET /api/auth/oidc/callback`). The callback redirects to `/?login_error=<code>`: only the
 * code travels in the URL (a message there could be forged by whoever crafts the link); the web
 * UI shows {@link OIDC_LOGIN_ERROR_MESSAGES}, and the audit record keeps the detailed reason.
 */
export type OidcLoginErrorCode =
  | 'login_expired'
  | 'state_mismatch'
  | 'wrong_issuer'
  | 'provider_denied'
  | 'provider_unreachable'
  | 'code_rejected'
  | 'invalid_id_token'
  | 'invalid_claims'
  | 'login_failed';

/** What the sign-in page says for each code (shared with the web UI). */
export const OIDC_LOGIN_ERROR_MESSAGES: Readonly<Record<OidcLoginErrorCode, string>> = {
  login_expired: 'The sign-in took too long or was started in another browser. Please sign in again.',
  state_mismatch: 'The sign-in response did not match the sign-in this browser started, so it was refused.',
  wrong_issuer: 'The sign-in response came from another identity provider than the one configured, so it was refused.',
  provider_denied: 'The identity provider did not sign you in.',
  provider_unreachable: 'The identity provider could not be reached. Please try again later.',
  code_rejected:
    'The identity provider refused the sign-in code (it may have been used already). Please sign in again.',
  invalid_id_token:
    'The identity provider returned an ID token that failed validation (issuer, audience, nonce, expiry or signature), so no session was created.',
  invalid_claims: 'Your account at the identity provider cannot be mapped to a Behalf user. Ask an administrator.',
  login_failed: 'Sign-in failed. Please try again.',
};

/** True for a code this server emits (the web UI ignores anything else in `login_error`). */
export function isOidcLoginErrorCode(value: unknown): value is OidcLoginErrorCode {
  return typeof value === 'string' && Object.hasOwn(OIDC_LOGIN_ERROR_MESSAGES, value);
}
