import { createHash, randomBytes } from 'node:crypto';
import type { AuditRecord } from '../../src/audit/types.ts';
import { type RunningServer, startServer } from '../../src/http/server.ts';
import { resolveOidcSettings } from '../../src/identity/oidc/oidc-settings.ts';
import type { MeResponse } from '../../src/protocol/wire.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/protocol/wire.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { TestBrowser } from './test-browser.ts';
import { listenTestProvider, type TestProvider } from './test-provider.ts';

export const CLIENT_ID = 'behalf';
export const CLIENT_SECRET = 'behalf-test-client-secret-0123456789abcdef';
export const OTHER_CLIENT_ID = 'other-app';
export const OTHER_CLIENT_SECRET = 'other-app-test-client-secret-0123456789abcdef';
export const CALLBACK_PATH = '/api/auth/oidc/callback';

/** Rewrites the provider's token response before Behalf reads it (a provider returning bad tokens). */
export type TokenResponseTamper = (
  body: Record<string, unknown>,
) => Promise<Record<string, unknown>> | Record<string, unknown>;

/** Behalf's server with OIDC on, a real provider, and helpers to sign in through them. */
export interface OidcHarness {
  app: TestApp;
  server: RunningServer;
  provider: TestProvider;
  /** Behalf's base URL. */
  behalf: string;
  /** Set to rewrite the next token responses Behalf receives from the provider. */
  tamper: TokenResponseTamper | null;
  /** A full login as `user` in a fresh browser; the result is where the browser ended up. */
  login(user: string, browser?: TestBrowser): Promise<{ browser: TestBrowser; finalUrl: string }>;
  /** `GET /api/me` with the browser's session cookie; null when it has no valid session. */
  me(browser: TestBrowser): Promise<MeResponse | null>;
  /** Login audit records (`auth.login`), oldest first. */
  loginRecords(): Promise<AuditRecord[]>;
  close(): Promise<void>;
}

/** Starts the provider, then Behalf with OIDC configured against it, then registers Behalf at the provider. */
export async function startOidcHarness(
  options: { scopes?: string[]; extraProviders?: TestProvider[] } = {},
): Promise<OidcHarness> {
  const provider = await listenTestProvider();
  const app = await createTestApp();
  const harness = { tamper: null } as OidcHarness;
  const interceptor = async (url: string, init: RequestInit): Promise<Response> => {
    const response = await fetch(url, init);
    const tamper = harness.tamper;
    if (!tamper || !url.startsWith(`${provider.issuer}/token`) || !response.ok) return response;
    const body = await tamper((await response.json()) as Record<string, unknown>);
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    });
  };
  const server = await startServer({
    app,
    port: 0,
    webRoot: null,
    oidc: resolveOidcSettings({
      issuer: provider.issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      scopes: options.scopes ?? ['openid', 'profile', 'groups'],
      fetch: interceptor as typeof fetch,
    }),
  });
  const behalf = server.url;
  const clients = [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [`${behalf}${CALLBACK_PATH}`],
      post_logout_redirect_uris: [`${behalf}/`],
    },
    { client_id: OTHER_CLIENT_ID, client_secret: OTHER_CLIENT_SECRET, redirect_uris: [`${behalf}${CALLBACK_PATH}`] },
  ];
  provider.start(clients);
  for (const extra of options.extraProviders ?? []) extra.start(clients);

  Object.assign(harness, {
    app,
    server,
    provider,
    behalf,
    async login(user: string, browser = new TestBrowser()) {
      provider.nextLogin = user;
      const { url } = await browser.navigate(`${behalf}/api/auth/oidc/login`);
      return { browser, finalUrl: url };
    },
    async me(browser: TestBrowser) {
      const response = await browser.request(`${behalf}/api/me`);
      return response.status === 200 ? ((await response.json()) as MeResponse) : null;
    },
    async loginRecords() {
      await app.drain();
      return app.store.audit.query({ action: 'auth.login' });
    },
    async close() {
      await server.close();
      await provider.close();
      for (const extra of options.extraProviders ?? []) await extra.close();
      await app.close();
    },
  } satisfies Omit<OidcHarness, 'tamper'>);
  return harness;
}

/** The session cookie a browser holds for Behalf. */
export function sessionCookie(harness: OidcHarness, browser: TestBrowser): string | undefined {
  return browser.cookie(harness.behalf, SESSION_COOKIE);
}

/** Sends a cookie-authenticated write with the CSRF token of `GET /api/me`. */
export async function writeAs(
  harness: OidcHarness,
  browser: TestBrowser,
  method: string,
  path: string,
): Promise<Response> {
  const me = await harness.me(browser);
  return browser.request(`${harness.behalf}${path}`, {
    method,
    headers: me?.csrfToken ? { [CSRF_HEADER]: me.csrfToken } : {},
  });
}

/**
 * A genuine ID token from `provider` for `clientId`, carrying `nonce`: drives the provider's
 * authorization endpoint as a browser would (with the test's own PKCE pair) and redeems the code.
 */
export async function obtainIdToken(
  provider: TestProvider,
  client: { id: string; secret: string; redirectUri: string },
  nonce: string,
  user = 'alice',
): Promise<string> {
  provider.nextLogin = user;
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const authorize = new URL(`${provider.issuer}/auth`);
  for (const [name, value] of Object.entries({
    client_id: client.id,
    redirect_uri: client.redirectUri,
    response_type: 'code',
    scope: 'openid profile groups',
    nonce,
    state: randomBytes(16).toString('base64url'),
    code_challenge: challenge,
    code_challenge_method: 'S256',
  })) {
    authorize.searchParams.set(name, value);
  }
  const { stoppedAt } = await new TestBrowser().navigate(authorize.href, {
    stopBefore: (next) => next.href.startsWith(client.redirectUri),
  });
  const code = stoppedAt?.searchParams.get('code');
  if (!code) throw new Error(`the provider issued no code (stopped at ${stoppedAt?.href})`);
  const response = await fetch(`${provider.issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: client.redirectUri,
      code_verifier: verifier,
    }),
  });
  const body = (await response.json()) as { id_token?: string; error?: string };
  if (!body.id_token) throw new Error(`no ID token: ${body.error}`);
  return body.id_token;
}
