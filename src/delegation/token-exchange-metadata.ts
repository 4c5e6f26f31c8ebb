import { TOKEN_EXCHANGE_GRANT } from './token-exchange.ts';

/** Path of the token endpoint under the issuer. */
export const TOKEN_ENDPOINT_PATH = '/oauth/token';
/** Path of the JWKS under the issuer. */
export const JWKS_PATH = '/.well-known/jwks.json';

/** The RFC 8414 document Behalf publishes at `/.well-known/oauth-authorization-server`. */
export interface AuthorizationServerMetadata {
  issuer: string;
  token_endpoint: string;
  jwks_uri: string;
  grant_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  /** Behalf has no authorization endpoint, so no response types (RFC 8414 §2 still requires the member). */
  response_types_supported: string[];
}

/**
 * Authorization server metadata (RFC 8414) for tools outside the process: the `issuer` is the
 * `iss` of every grant (the deployment's public URL, an origin: RFC 8414 would move the
 * well-known path behind a path component), the token endpoint speaks only token exchange,
 * and the JWKS verifies what it issues.
 */
export function authorizationServerMetadata(issuer: string): AuthorizationServerMetadata {
  const base = issuer.replace(/\/+$/, '');
  return {
    issuer,
    token_endpoint: `${base}${TOKEN_ENDPOINT_PATH}`,
    jwks_uri: `${base}${JWKS_PATH}`,
    grant_types_supported: [TOKEN_EXCHANGE_GRANT],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    response_types_supported: [],
  };
}
