export {
  createLoginTransactionSealer,
  type LoginTransaction,
  type LoginTransactionSealer,
} from './login-transaction.ts';
export { type ClaimMapping, mapOidcClaims, type OidcProfile } from './oidc-claims.ts';
export {
  type FinishedLogin,
  OIDC_CALLBACK_PATH,
  OIDC_LOGIN_ACTION,
  OIDC_LOGIN_PATH,
  OidcLogin,
  type OidcLoginOptions,
  type StartedLogin,
} from './oidc-login.ts';
export { loginFailure, type OidcLoginFailure } from './oidc-login-failure.ts';
export { type IdTokenOutcome, OidcProviderClient } from './oidc-provider-client.ts';
export { type OidcSettings, oidcSettingsFromEnv, resolveOidcSettings, type UserIdClaim } from './oidc-settings.ts';
