import { decodeJwt, importJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { OidcLoginErrorCode } from '../../src/protocol/login-errors.ts';
import { useFixture } from '../support/lifecycle.ts';
import {
  CALLBACK_PATH,
  CLIENT_ID,
  CLIENT_SECRET,
  type OidcHarness,
  OTHER_CLIENT_ID,
  OTHER_CLIENT_SECRET,
  obtainIdToken,
  sessionCookie,
  startOidcHarness,
} from './oidc-fixture.ts';
import { TestBrowser } from './test-browser.ts';
import { listenTestProvider, type TestProvider } from './test-provider.ts';

// Issue 4 point 5, "bad input": a provider (or an attacker between it and the browser) returning
// bad responses or tokens → the login is refused with a clear error and never yields a session.
describe('OIDC login refusals', () => {
  let otherProvider: TestProvider;
  const harness = useFixture(async () => {
    otherProvider = await listenTestProvider();
    return startOidcHarness({ extraProviders: [otherProvider] });
  });

  /** Starts a login in a fresh browser and stops before the provider's authorization endpoint. */
  async function startLogin(): Promise<{ browser: TestBrowser; authorize: URL }> {
    const browser = new TestBrowser();
    const { stoppedAt } = await browser.navigate(`${harness.behalf}/api/auth/oidc/login`, {
      stopBefore: (next) => next.origin === harness.provider.issuer,
    });
    return { browser, authorize: stoppedAt as URL };
  }

  /** Runs the provider part of a login and stops before Behalf's callback. */
  async function untilCallback(browser: TestBrowser, authorize: URL, user = 'alice'): Promise<URL> {
    harness.provider.nextLogin = user;
    otherProvider.nextLogin = user;
    const { stoppedAt } = await browser.navigate(authorize.href, {
      stopBefore: (next) => next.href.startsWith(`${harness.behalf}${CALLBACK_PATH}`),
    });
    return stoppedAt as URL;
  }

  async function expectRefused(browser: TestBrowser, callback: URL, code: OidcLoginErrorCode, reason?: RegExp) {
    const response = await browser.request(callback.href);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`/?login_error=${code}`);
    expect(sessionCookie(harness, browser)).toBeUndefined();
    expect(browser.setCookieHeaders.some((header) => header.startsWith('behalf_session='))).toBe(false);
    expect(await harness.me(browser)).toBeNull();
    const [record] = (await harness.loginRecords()).slice(-1);
    expect(record).toMatchObject({ decision: 'deny', requester: null, action: 'auth.login' });
    expect(record?.reason).toMatch(new RegExp(`^${code}: `));
    if (reason) expect(record?.reason).toMatch(reason);
  }

  /** A login whose token response is rewritten by `tamper`, refused with `code`. */
  async function expectTamperedLoginRefused(
    tamper: NonNullable<OidcHarness['tamper']>,
    code: OidcLoginErrorCode,
    reason: RegExp,
    user = 'alice',
  ) {
    const { browser, authorize } = await startLogin();
    const callback = await untilCallback(browser, authorize, user);
    harness.tamper = tamper;
    try {
      await expectRefused(browser, callback, code, reason);
    } finally {
      harness.tamper = null;
    }
  }

  it('refuses a tampered state', async () => {
    const { browser, authorize } = await startLogin();
    const callback = await untilCallback(browser, authorize);
    callback.searchParams.set('state', 'attacker-chosen-state-value');
    await expectRefused(browser, callback, 'state_mismatch', /state/);
  });

  it('refuses a callback without the login transaction cookie (another browser, CSRF)', async () => {
    const { browser, authorize } = await startLogin();
    const callback = await untilCallback(browser, authorize);
    await expectRefused(new TestBrowser(), callback, 'login_expired');
  });

  it('refuses a replayed authorization code', async () => {
    const { browser, authorize } = await startLogin();
    const transaction = browser.cookie(harness.behalf, 'behalf_oidc_login') as string;
    const callback = await untilCallback(browser, authorize);
    const first = await browser.request(callback.href);
    expect(first.headers.get('location')).toBe('/');
    // The same response again, even with the original transaction cookie: the provider refuses the code.
    const replay = new TestBrowser();
    replay.setCookie(harness.behalf, 'behalf_oidc_login', transaction);
    await expectRefused(replay, callback, 'code_rejected', /invalid_grant/);
  });

  it('refuses an ID token carrying another nonce', async () => {
    const { browser, authorize } = await startLogin();
    authorize.searchParams.set('nonce', 'a-nonce-this-browser-never-got');
    const callback = await untilCallback(browser, authorize);
    await expectRefused(browser, callback, 'invalid_id_token', /"nonce"/);
  });

  it('refuses an authorization response from another provider (mix-up, RFC 9207 iss)', async () => {
    const { browser, authorize } = await startLogin();
    const elsewhere = new URL(`${authorize.pathname}${authorize.search}`, otherProvider.issuer);
    const callback = await untilCallback(browser, elsewhere);
    expect(callback.searchParams.get('iss')).toBe(otherProvider.issuer);
    await expectRefused(browser, callback, 'wrong_issuer', /"iss"/);
  });

  it('refuses an ID token issued by another provider instance', async () => {
    await expectTamperedLoginRefused(
      async (body) => {
        const nonce = String(decodeJwt(String(body.id_token)).nonce);
        const redirectUri = `${harness.behalf}${CALLBACK_PATH}`;
        const foreign = await obtainIdToken(
          otherProvider,
          { id: CLIENT_ID, secret: CLIENT_SECRET, redirectUri },
          nonce,
        );
        expect(decodeJwt(foreign)).toMatchObject({ iss: otherProvider.issuer, aud: CLIENT_ID, nonce });
        return { ...body, id_token: foreign };
      },
      'invalid_id_token',
      /"iss"/,
    );
  });

  it('refuses an ID token issued for another client (audience)', async () => {
    await expectTamperedLoginRefused(
      async (body) => {
        const nonce = String(decodeJwt(String(body.id_token)).nonce);
        const redirectUri = `${harness.behalf}${CALLBACK_PATH}`;
        const client = { id: OTHER_CLIENT_ID, secret: OTHER_CLIENT_SECRET, redirectUri };
        const foreign = await obtainIdToken(harness.provider, client, nonce);
        expect(decodeJwt(foreign)).toMatchObject({ iss: harness.provider.issuer, aud: OTHER_CLIENT_ID, nonce });
        return { ...body, id_token: foreign };
      },
      'invalid_id_token',
      /"aud"/,
    );
  });

  it('refuses an expired ID token, even one the provider signed', async () => {
    await expectTamperedLoginRefused(
      async (body) => {
        const claims = decodeJwt(String(body.id_token));
        const now = Math.floor(Date.now() / 1000);
        const key = await importJWK(harness.provider.signingKey, 'RS256');
        const expired = await new SignJWT({ ...claims, iat: now - 7200, exp: now - 3600 })
          .setProtectedHeader({ alg: 'RS256', kid: harness.provider.signingKey.kid })
          .sign(key);
        return { ...body, id_token: expired };
      },
      'invalid_id_token',
      /"exp"/,
    );
  });

  it('refuses an ID token whose signature does not verify', async () => {
    await expectTamperedLoginRefused(
      (body) => {
        const [header, , signature] = String(body.id_token).split('.');
        const claims = { ...decodeJwt(String(body.id_token)), groups: ['execs', 'hr', 'finance'] };
        const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
        return { ...body, id_token: `${header}.${payload}.${signature}` };
      },
      'invalid_id_token',
      /signature/,
    );
  });

  it('refuses a groups claim that is not a list of group names', async () => {
    harness.provider.accounts.set('erin', { name: 'Erin Walsh', groups: [42, 'sales'] });
    const { browser, authorize } = await startLogin();
    const callback = await untilCallback(browser, authorize, 'erin');
    await expectRefused(browser, callback, 'invalid_claims', /"groups" claim/);
  });

  it('refuses an account whose user id claim does not fit the user id pattern', async () => {
    harness.provider.accounts.set('Ivy.Park@Acme.example', { name: 'Ivy Park', groups: ['auditors'] });
    const { browser, authorize } = await startLogin();
    const callback = await untilCallback(browser, authorize, 'Ivy.Park@Acme.example');
    await expectRefused(browser, callback, 'invalid_claims', /"sub"/);
  });

  it('refuses when the provider answers with an error instead of a code', async () => {
    const { browser, authorize } = await startLogin();
    const callback = await untilCallback(browser, authorize);
    const denied = new URL(callback.pathname, callback);
    denied.searchParams.set('error', 'access_denied');
    denied.searchParams.set('state', callback.searchParams.get('state') as string);
    denied.searchParams.set('iss', harness.provider.issuer);
    await expectRefused(browser, denied, 'provider_denied', /access_denied/);
  });
});
