import * as client from 'openid-client';
import type { LoginTransaction } from './login-transaction.ts';
import { loginFailure, type OidcLoginFailure } from './oidc-login-failure.ts';
import type { OidcSettings } from './oidc-settings.ts';

/** The validated claims of a provider's ID token. */
export type IdTokenOutcome = { ok: true; claims: Record<string, unknown> } | OidcLoginFailure;

/**
 * The relying-party side of OIDC over `openid-client` v6: discovery (once, retried after a
 * failure), the authorization URL, the code exchange with every check (then UserInfo), and the
 * end-session URL.
 *
 * Checks on the callback, all by `openid-client`/`oauth4webapi`: the `iss` response parameter
 * (RFC 9207, mix-up defence) and `state`; then at the token endpoint the PKCE verifier; then the
 * ID token's `iss`, `aud` (and `azp`), `exp`/`iat`, `nonce`, and — with non-repudiation checks
 * on — its signature against the provider's JWKS, which TLS alone would otherwise stand in for.
 */
export class OidcProviderClient {
  private configuration: Promise<client.Configuration> | undefined;

  constructor(private readonly settings: OidcSettings) {}

  get issuer(): string {
    return this.settings.issuer;
  }

  /** Where to send the browser to sign in (authorization code + PKCE S256 + state + nonce). */
  async authorizationUrl(transaction: LoginTransaction): Promise<URL> {
    const config = await this.config();
    return client.buildAuthorizationUrl(config, {
      redirect_uri: transaction.redirectUri,
      scope: this.settings.scopes.join(' '),
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(transaction.codeVerifier),
      code_challenge_method: 'S256',
      state: transaction.state,
      nonce: transaction.nonce,
    });
  }

  /** Exchanges the code of an authorization response; the claims only when every check passed. */
  async exchange(callbackQuery: string, transaction: LoginTransaction): Promise<IdTokenOutcome> {
    let config: client.Configuration;
    try {
      config = await this.config();
    } catch (error) {
      return loginFailure('provider_unreachable', `discovery failed: ${describe(error)}`);
    }
    // The redirect URI the provider was given, not the URL this request arrived at (a proxy may
    // have rewritten it): the token request must repeat it exactly.
    const current = new URL(transaction.redirectUri);
    current.search = callbackQuery;
    try {
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: transaction.codeVerifier,
        expectedState: transaction.state,
        expectedNonce: transaction.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) return loginFailure('invalid_id_token', 'the provider returned no ID token');
      // Many providers put profile and group claims only in the UserInfo response (OIDC Core
      // §5.4). It is read with the access token just issued, its `sub` must equal the ID
      // token's, and the ID token's claims win where both have one.
      if (!config.serverMetadata().userinfo_endpoint) return { ok: true, claims: { ...claims } };
      const userInfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      return { ok: true, claims: { ...userInfo, ...claims } };
    } catch (error) {
      return classify(error);
    }
  }

  /** The provider's RP-initiated logout URL, or null when it has none (or cannot be reached). */
  async endSessionUrl(postLogoutRedirectUri: string): Promise<string | null> {
    let config: client.Configuration;
    try {
      config = await this.config();
    } catch {
      return null;
    }
    if (!config.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(config, { post_logout_redirect_uri: postLogoutRedirectUri }).href;
  }

  private config(): Promise<client.Configuration> {
    this.configuration ??= this.discover().catch((error: unknown) => {
      this.configuration = undefined;
      throw error;
    });
    return this.configuration;
  }

  private discover(): Promise<client.Configuration> {
    const { settings } = this;
    const execute = [client.enableNonRepudiationChecks];
    if (settings.allowInsecureRequests) execute.unshift(client.allowInsecureRequests);
    return client.discovery(
      new URL(settings.issuer),
      settings.clientId,
      settings.clientSecret ? { client_secret: settings.clientSecret } : {},
      settings.clientSecret ? client.ClientSecretBasic(settings.clientSecret) : client.None(),
      {
        execute,
        timeout: 10,
        ...(settings.fetch ? { [client.customFetch]: settings.fetch as client.CustomFetch } : {}),
      },
    );
  }
}

const NOT_AN_OAUTH_RESPONSE = new Set([
  'OAUTH_RESPONSE_IS_NOT_JSON',
  'OAUTH_RESPONSE_IS_NOT_CONFORM',
  'OAUTH_PARSE_ERROR',
]);

/** Sorts the libraries' errors into login error codes, keeping their token-free messages. */
function classify(error: unknown): OidcLoginFailure {
  const message = describe(error);
  if (error instanceof client.AuthorizationResponseError) {
    return loginFailure('provider_denied', `the provider answered ${error.error}: ${error.error_description ?? ''}`);
  }
  if (error instanceof client.ResponseBodyError) {
    return loginFailure(
      'code_rejected',
      `the token endpoint answered ${error.error}: ${error.error_description ?? ''}`,
    );
  }
  if (/"state"/.test(message)) return loginFailure('state_mismatch', message);
  if (/"iss" \(issuer\) response parameter/.test(message)) return loginFailure('wrong_issuer', message);
  if (error instanceof client.ClientError) {
    // A provider answering something that is not an OAuth response is a provider fault; the rest
    // (claim comparisons, timestamps, signature, key selection) are ID token checks that failed.
    return NOT_AN_OAUTH_RESPONSE.has(error.code ?? '')
      ? loginFailure('login_failed', message)
      : loginFailure('invalid_id_token', message);
  }
  if (error instanceof TypeError || (error instanceof Error && error.name === 'AbortError')) {
    return loginFailure('provider_unreachable', message);
  }
  return loginFailure('login_failed', message);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const cause =
    error.cause instanceof Error && error.cause.message !== error.message ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
