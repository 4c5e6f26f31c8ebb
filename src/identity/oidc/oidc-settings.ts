import { AppError } from '../../protocol/errors.ts';

/** Which ID token claim becomes the Behalf user id (see `mapOidcClaims`). */
export type UserIdClaim = 'sub' | 'preferred_username';

/**
 * OpenID Connect login of a deployment (SPEC §3 identity, issue 4). When present, dev login is
 * off: people sign in at the provider only.
 */
export interface OidcSettings {
  /** The provider's issuer identifier; discovery reads `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  /** Confidential clients authenticate with `client_secret_basic`; without it the client is public (PKCE only). */
  clientSecret?: string;
  /** Where the provider sends people back. Default: `<server URL>/api/auth/oidc/callback`. */
  redirectUri?: string;
  /** Where the provider sends people after logout. Default: the origin of the redirect URI, `/`. */
  postLogoutRedirectUri?: string;
  /** Claim holding the person's groups (a dotted path is tried when no claim has the exact name). Default `groups`. */
  groupsClaim: string;
  /** Claim whose value is the Behalf user id. Default `sub`. */
  userIdClaim: UserIdClaim;
  /** Scopes requested; always includes `openid`. Default `openid profile`. */
  scopes: string[];
  /** Allow plain `http` to the provider (a provider on this machine, tests). Default: only for loopback hosts. */
  allowInsecureRequests?: boolean;
  /** HTTP client for every request to the provider (a proxy, or a test intercepting responses). */
  fetch?: typeof fetch;
}

const DEFAULT_SCOPES = ['openid', 'profile'];
const CLAIM_NAME = /^[A-Za-z0-9_:./-]{1,200}$/;
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/;

/**
 * Reads OIDC settings from the environment: `BEHALF_OIDC_ISSUER`, `BEHALF_OIDC_CLIENT_ID`,
 * `BEHALF_OIDC_CLIENT_SECRET` (optional), `BEHALF_OIDC_REDIRECT_URI` (or `BEHALF_PUBLIC_URL`),
 * `BEHALF_OIDC_POST_LOGOUT_REDIRECT_URI`, `BEHALF_OIDC_GROUPS_CLAIM`, `BEHALF_OIDC_USER_ID_CLAIM`,
 * `BEHALF_OIDC_SCOPES` (space- or comma-separated). Null when no issuer is set (dev login stays
 * on); a half-configured or invalid setting throws `bad_request`, so the server refuses to start.
 */
export function oidcSettingsFromEnv(env: Record<string, string | undefined>): OidcSettings | null {
  const value = (name: string) => {
    const text = env[name]?.trim();
    return text ? text : undefined;
  };
  const issuer = value('BEHALF_OIDC_ISSUER');
  if (!issuer) {
    if (value('BEHALF_OIDC_CLIENT_ID')) throw configError('BEHALF_OIDC_CLIENT_ID is set but BEHALF_OIDC_ISSUER is not');
    return null;
  }
  const publicUrl = value('BEHALF_PUBLIC_URL');
  const redirectUri =
    value('BEHALF_OIDC_REDIRECT_URI') ??
    (publicUrl ? `${publicUrl.replace(/\/+$/, '')}/api/auth/oidc/callback` : undefined);
  return resolveOidcSettings({
    issuer,
    clientId: value('BEHALF_OIDC_CLIENT_ID') ?? '',
    ...optional('clientSecret', value('BEHALF_OIDC_CLIENT_SECRET')),
    ...optional('redirectUri', redirectUri),
    ...optional('postLogoutRedirectUri', value('BEHALF_OIDC_POST_LOGOUT_REDIRECT_URI')),
    ...optional('groupsClaim', value('BEHALF_OIDC_GROUPS_CLAIM')),
    ...optional('userIdClaim', value('BEHALF_OIDC_USER_ID_CLAIM') as UserIdClaim | undefined),
    ...optional(
      'scopes',
      value('BEHALF_OIDC_SCOPES')
        ?.split(/[\s,]+/)
        .filter(Boolean),
    ),
  });
}

/** Checks settings given in code or read from the environment, and applies the defaults. */
export function resolveOidcSettings(
  input: Partial<OidcSettings> & Pick<OidcSettings, 'issuer' | 'clientId'>,
): OidcSettings {
  const issuer = checkUrl(input.issuer, 'BEHALF_OIDC_ISSUER');
  if (!input.clientId) throw configError('BEHALF_OIDC_CLIENT_ID is required with BEHALF_OIDC_ISSUER');
  if (input.clientId.length > 256) throw configError('BEHALF_OIDC_CLIENT_ID is too long');
  const groupsClaim = input.groupsClaim ?? 'groups';
  if (!CLAIM_NAME.test(groupsClaim)) throw configError('BEHALF_OIDC_GROUPS_CLAIM must be a claim name');
  const userIdClaim = input.userIdClaim ?? 'sub';
  if (userIdClaim !== 'sub' && userIdClaim !== 'preferred_username') {
    throw configError('BEHALF_OIDC_USER_ID_CLAIM must be `sub` or `preferred_username`');
  }
  const requested = input.scopes && input.scopes.length > 0 ? input.scopes : DEFAULT_SCOPES;
  const bad = requested.find((scope) => !SCOPE.test(scope));
  if (bad !== undefined) throw configError(`BEHALF_OIDC_SCOPES has an invalid scope ${JSON.stringify(bad)}`);
  const scopes = [...new Set(['openid', ...requested])];
  // The issuer is kept exactly as configured: discovery compares it character for character.
  const settings: OidcSettings = { issuer: input.issuer, clientId: input.clientId, groupsClaim, userIdClaim, scopes };
  if (input.clientSecret) settings.clientSecret = input.clientSecret;
  if (input.redirectUri) settings.redirectUri = checkUrl(input.redirectUri, 'BEHALF_OIDC_REDIRECT_URI').href;
  if (input.postLogoutRedirectUri) {
    settings.postLogoutRedirectUri = checkUrl(input.postLogoutRedirectUri, 'BEHALF_OIDC_POST_LOGOUT_REDIRECT_URI').href;
  }
  settings.allowInsecureRequests = input.allowInsecureRequests ?? isLoopback(issuer.hostname);
  if (issuer.protocol === 'http:' && !settings.allowInsecureRequests) {
    throw configError('BEHALF_OIDC_ISSUER must use https (plain http is allowed only for a provider on this machine)');
  }
  if (input.fetch) settings.fetch = input.fetch;
  return settings;
}

function checkUrl(text: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw configError(`${name} is not an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw configError(`${name} must be an http(s) URL`);
  if (url.hash || url.username || url.password) throw configError(`${name} must not carry a fragment or credentials`);
  return url;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function optional<Key extends string, Value>(key: Key, value: Value | undefined): { [K in Key]?: Value } {
  return (value === undefined ? {} : { [key]: value }) as { [K in Key]?: Value };
}

function configError(message: string): AppError {
  return new AppError('bad_request', `Invalid OIDC configuration: ${message}.`);
}
