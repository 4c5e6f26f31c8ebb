export type {
  ConnectorCredentialKey,
  ConnectorCredentialStore,
  StoredConnectorCredential,
} from './connector-credential-types.ts';
export {
  type ConnectorCredentialOwner,
  type ConnectorCredentials,
  type ConnectorCredentialsOptions,
  type ConnectorToken,
  createConnectorCredentials,
} from './connector-credentials.ts';
export { loadSecretKey, SECRET_KEY_FILE } from './connector-credentials-key.ts';
export { MemoryConnectorCredentialStore } from './connector-credentials-memory-store.ts';
export { DelegationGrant } from './grant.ts';
export { createGrantAuthority, type GrantAuthorityOptions } from './grant-authority.ts';
export { benchGrants, type GrantBenchResult } from './grant-bench.ts';
export { createGrantVerifier, type GrantVerifierOptions } from './grant-verifier.ts';
export { createKeyRing, type KeyRing, type KeyRingOptions } from './key-ring.ts';
export { MemoryJtiStore, MemorySigningKeyStore } from './memory-stores.ts';
export {
  ACCESS_TOKEN_TYPE,
  EXCHANGE_THREAD,
  JWT_TOKEN_TYPE,
  type OAuthErrorCode,
  TOKEN_EXCHANGE_ACTION,
  TOKEN_EXCHANGE_GRANT,
  TokenExchange,
  type TokenExchangeDependencies,
  type TokenExchangeOutcome,
  type TokenExchangeResponse,
} from './token-exchange.ts';
export { authenticateClient, parseBasicCredentials } from './token-exchange-clients.ts';
export { TokenEndpoint, type TokenReply, type TokenRequest } from './token-exchange-endpoint.ts';
export { type AuthAttempt, FailedAuthLockout, type LockoutLimits } from './token-exchange-lockout.ts';
export { type AuthorizationServerMetadata, authorizationServerMetadata } from './token-exchange-metadata.ts';
export {
  type OAuthClient,
  resolveTokenExchangeSettings,
  type TokenExchangeSettings,
  tokenExchangeSettingsFromEnv,
} from './token-exchange-settings.ts';
export type {
  GrantAuthority,
  GrantCheck,
  GrantClaims,
  GrantExpectation,
  GrantRejection,
  GrantRequest,
  GrantVerifier,
  JsonWebKeyShape,
  JtiStore,
  PublicJsonWebKeySet,
  PublicSigningJwk,
  SigningKeyStore,
  StoredSigningKey,
} from './types.ts';
