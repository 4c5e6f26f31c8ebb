import { describe, expect, it } from 'vitest';
import { OIDC_LOGIN_ERROR_MESSAGES } from '../../src/protocol/login-errors.ts';
import type { AuthConfigResponse, LogoutResponse } from '../../src/protocol/wire.ts';
import { useFixture } from '../support/lifecycle.ts';
import { CALLBACK_PATH, sessionCookie, startOidcHarness, writeAs } from './oidc-fixture.ts';
import { TestBrowser } from './test-browser.ts';

// Issue 4 point 5: OIDC login end to end against a real OpenID provider (oidc-provider).
describe('OIDC login against a real provider', () => {
  const harness = useFixture(() => startOidcHarness());

  it('signs in with authorization code + PKCE and takes the groups from the provider', async () => {
    harness.provider.accounts.set('alice', { name: 'Alice Chen (IdP)', groups: ['hr', 'managers', 'idp-admins'] });
    const browser = new TestBrowser();
    const started = await browser.navigate(`${harness.behalf}/api/auth/oidc/login`, {
      stopBefore: (next) => next.origin === harness.provider.issuer,
    });
    const authorize = started.stoppedAt as URL;
    expect(authorize.pathname).toBe('/auth');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${harness.behalf}${CALLBACK_PATH}`);
    expect(authorize.searchParams.get('scope')).toBe('openid profile groups');
    const transactionCookie = browser.setCookieHeaders.find((header) => header.startsWith('behalf_oidc_login='));
    expect(transactionCookie).toMatch(/HttpOnly/i);
    expect(transactionCookie).toMatch(/SameSite=Lax/i);

    harness.provider.nextLogin = 'alice';
    const finished = await browser.navigate(authorize.href);
    expect(finished.url).toBe(`${harness.behalf}/`);
    expect(finished.visited.some((url) => url.startsWith(`${harness.behalf}${CALLBACK_PATH}?code=`))).toBe(true);
    const session = browser.setCookieHeaders.find((header) => header.startsWith('behalf_session='));
    expect(session).toMatch(/HttpOnly/i);
    // The transaction cookie is single use: gone after the callback.
    expect(browser.cookie(harness.behalf, 'behalf_oidc_login')).toBeUndefined();

    const me = await harness.me(browser);
    expect(me?.user).toMatchObject({ id: 'alice', name: 'Alice Chen (IdP)', groups: ['hr', 'idp-admins', 'managers'] });
    expect(me?.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await harness.app.store.users.get('alice');
    expect(stored).toMatchObject({ title: 'HR director', groups: ['hr', 'idp-admins', 'managers'] });

    const [record] = (await harness.loginRecords()).slice(-1);
    expect(record).toMatchObject({
      requester: 'alice',
      decision: 'allow',
      resource: `oidc:${harness.provider.issuer}`,
    });
  });

  it('reflects a group change at the provider on the next login, bumping the user version (I3)', async () => {
    harness.provider.accounts.set('dana', { name: 'Dana Kim', groups: ['finance', 'execs'] });
    await harness.login('dana');
    const before = await harness.app.store.users.get('dana');
    const hrLabel = {
      principal: { type: 'User', id: 'dana' },
      action: 'readLabel',
      resource: { type: 'Label', id: 'hr-confidential' },
    } as const;
    expect((await harness.app.policy.authorize(hrLabel)).effect).toBe('allow');

    // Same groups again: nothing changes, the version stays (memoized decisions keep hitting).
    await harness.login('dana');
    expect((await harness.app.store.users.get('dana'))?.version).toBe(before?.version);

    // Finance removed at the provider: the next login updates the groups and the version, so
    // the memoized allow no longer applies.
    harness.provider.accounts.set('dana', { name: 'Dana Kim', groups: ['execs'] });
    const { browser } = await harness.login('dana');
    const after = await harness.app.store.users.get('dana');
    expect(after?.groups).toEqual(['execs']);
    expect(after?.version).toBeGreaterThan(before?.version ?? Number.POSITIVE_INFINITY);
    expect((await harness.me(browser))?.user.groups).toEqual(['execs']);
    expect((await harness.app.policy.authorize(hrLabel)).effect).toBe('deny');
    const [record] = (await harness.loginRecords()).slice(-1);
    expect(record?.reason).toContain('removed [finance]');
  });

  it('creates a person the store did not know, with the groups the provider sends', async () => {
    harness.provider.accounts.set('zoe', { name: 'Zoe Adler', groups: ['engineering'] });
    const { browser } = await harness.login('zoe');
    expect((await harness.me(browser))?.user).toMatchObject({ id: 'zoe', name: 'Zoe Adler', groups: ['engineering'] });
  });

  it('signs a person in with no groups when the provider sends no groups claim', async () => {
    harness.provider.accounts.set('gus', { name: 'Gus Moreau', groups: undefined });
    const { browser } = await harness.login('gus');
    expect((await harness.me(browser))?.user.groups).toEqual([]);
    const [record] = (await harness.loginRecords()).slice(-1);
    expect(record?.reason).toContain('no "groups" claim');
  });

  it('turns dev login off and tells the web UI to show the provider', async () => {
    const config = (await (await fetch(`${harness.behalf}/api/auth/config`)).json()) as AuthConfigResponse;
    expect(config).toEqual({
      devLogin: false,
      oidc: { loginUrl: '/api/auth/oidc/login', issuer: harness.provider.issuer },
    });
    const devLogin = await fetch(`${harness.behalf}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'alice' }),
    });
    expect(devLogin.status).toBe(404);
    expect(await devLogin.json()).toMatchObject({
      error: { code: 'not_found', message: expect.stringContaining('OpenID Connect') },
    });
    const devUsers = await fetch(`${harness.behalf}/api/session/dev-users`);
    expect(devUsers.status).toBe(404);
  });

  it('logs out: the session ends and the provider end-session URL is returned', async () => {
    const { browser } = await harness.login('carol');
    const token = sessionCookie(harness, browser) as string;
    const response = await writeAs(harness, browser, 'DELETE', '/api/session');
    expect(response.status).toBe(200);
    const { endSessionUrl } = (await response.json()) as LogoutResponse;
    const url = new URL(endSessionUrl);
    expect(url.origin).toBe(harness.provider.issuer);
    expect(url.searchParams.get('client_id')).toBe('behalf');
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${harness.behalf}/`);
    expect(await harness.me(browser)).toBeNull();
    const bearer = await fetch(`${harness.behalf}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(bearer.status).toBe(401);
    // The provider accepts the end-session URL (its logout confirmation page).
    expect((await browser.request(endSessionUrl)).status).toBe(200);
  });

  it('logs out by GET: ends the session and redirects to the provider', async () => {
    const { browser } = await harness.login('frank');
    const response = await browser.request(`${harness.behalf}/api/auth/oidc/logout`);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toMatch(new RegExp(`^${harness.provider.issuer}/session/end\\?`));
    expect(await harness.me(browser)).toBeNull();
  });

  it('has a human message for every login error code', () => {
    for (const message of Object.values(OIDC_LOGIN_ERROR_MESSAGES)) expect(message.length).toBeGreaterThan(20);
  });
});
