import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/cli/free-port.ts';
import { createHttpApp } from '../../src/http/create-http-app.ts';
import { OidcLogin } from '../../src/identity/oidc/oidc-login.ts';
import { resolveOidcSettings } from '../../src/identity/oidc/oidc-settings.ts';
import { createHttpFixture } from '../http/http-fixture.ts';
import { useFixture } from '../support/lifecycle.ts';

describe('sign-in configuration routes', () => {
  const fixture = useFixture(() => createHttpFixture());

  it('offers dev login, and no OIDC routes, on the embedded default', async () => {
    const config = await fixture.call('GET', '/api/auth/config');
    expect(await config.json()).toEqual({ devLogin: true, oidc: null });
    for (const path of ['/api/auth/oidc/login', '/api/auth/oidc/callback?code=x&state=y', '/api/auth/oidc/logout']) {
      expect((await fixture.call('GET', path)).status).toBe(404);
    }
  });

  it('turns dev login off even when asked for, once OIDC is configured', async () => {
    const oidc = new OidcLogin({
      settings: resolveOidcSettings({ issuer: 'http://127.0.0.1:9', clientId: 'behalf' }),
      users: fixture.app.store.users,
      audit: fixture.app.audit,
      clock: fixture.app.clock,
      publicUrl: () => 'http://127.0.0.1:8787',
    });
    const http = createHttpApp(fixture.app, { devLogin: true, oidc });
    const devLogin = await http.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'alice' }),
    });
    expect(devLogin.status).toBe(404);
    expect(await (await http.request('/api/auth/config')).json()).toMatchObject({ devLogin: false });
  });

  it('sends the browser back with a clear error when the provider is down, and creates no session', async () => {
    const oidc = new OidcLogin({
      settings: resolveOidcSettings({ issuer: `http://127.0.0.1:${await freePort('127.0.0.1')}`, clientId: 'behalf' }),
      users: fixture.app.store.users,
      audit: fixture.app.audit,
      clock: fixture.app.clock,
      publicUrl: () => 'http://127.0.0.1:8787',
    });
    const http = createHttpApp(fixture.app, { devLogin: false, oidc });
    const login = await http.request('/api/auth/oidc/login');
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/?login_error=provider_unreachable');
    expect(login.headers.get('set-cookie')).toBeNull();
  });

  it('publishes the OAuth authorization server metadata beside the JWKS', async () => {
    const metadata = await (await fixture.call('GET', '/.well-known/oauth-authorization-server')).json();
    expect(metadata).toMatchObject({
      issuer: fixture.app.grants.issuer,
      token_endpoint: `${fixture.app.grants.issuer}/oauth/token`,
      jwks_uri: `${fixture.app.grants.issuer}/.well-known/jwks.json`,
      grant_types_supported: ['urn:ietf:params:oauth:grant-type:token-exchange'],
    });
    // Without registered clients every token request is invalid_client.
    const token = await fixture.call('POST', '/oauth/token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange',
    });
    expect(token.status).toBe(401);
    expect(await token.json()).toMatchObject({ error: 'invalid_client' });
  });
});
