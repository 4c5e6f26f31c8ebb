import { describe, expect, it } from 'vitest';
import { oidcSettingsFromEnv } from './oidc-settings.ts';

describe('oidcSettingsFromEnv', () => {
  it('is null without an issuer (dev login stays on)', () => {
    expect(oidcSettingsFromEnv({})).toBeNull();
  });

  it('reads every variable and applies the defaults', () => {
    expect(
      oidcSettingsFromEnv({ BEHALF_OIDC_ISSUER: 'https://login.corp.example', BEHALF_OIDC_CLIENT_ID: 'behalf' }),
    ).toEqual({
      issuer: 'https://login.corp.example',
      clientId: 'behalf',
      groupsClaim: 'groups',
      userIdClaim: 'sub',
      scopes: ['openid', 'profile'],
      allowInsecureRequests: false,
    });
    const full = oidcSettingsFromEnv({
      BEHALF_OIDC_ISSUER: 'https://login.corp.example/realms/corp',
      BEHALF_OIDC_CLIENT_ID: 'behalf',
      BEHALF_OIDC_CLIENT_SECRET: 's3cret',
      BEHALF_PUBLIC_URL: 'https://behalf.corp.example/',
      BEHALF_OIDC_GROUPS_CLAIM: 'realm_access.roles',
      BEHALF_OIDC_USER_ID_CLAIM: 'preferred_username',
      BEHALF_OIDC_SCOPES: 'profile, groups',
    });
    expect(full).toMatchObject({
      clientSecret: 's3cret',
      redirectUri: 'https://behalf.corp.example/api/auth/oidc/callback',
      groupsClaim: 'realm_access.roles',
      userIdClaim: 'preferred_username',
      scopes: ['openid', 'profile', 'groups'],
    });
  });

  it('allows plain http only for a provider on this machine', () => {
    expect(
      oidcSettingsFromEnv({ BEHALF_OIDC_ISSUER: 'http://127.0.0.1:9000', BEHALF_OIDC_CLIENT_ID: 'b' }),
    ).toMatchObject({
      allowInsecureRequests: true,
    });
    expect(() =>
      oidcSettingsFromEnv({ BEHALF_OIDC_ISSUER: 'http://login.corp.example', BEHALF_OIDC_CLIENT_ID: 'b' }),
    ).toThrow(/https/);
  });

  it('refuses half or invalid configurations, so the server does not start', () => {
    const cases: Record<string, string>[] = [
      { BEHALF_OIDC_CLIENT_ID: 'behalf' },
      { BEHALF_OIDC_ISSUER: 'https://login.corp.example' },
      { BEHALF_OIDC_ISSUER: 'not a url', BEHALF_OIDC_CLIENT_ID: 'b' },
      {
        BEHALF_OIDC_ISSUER: 'https://login.corp.example',
        BEHALF_OIDC_CLIENT_ID: 'b',
        BEHALF_OIDC_USER_ID_CLAIM: 'email',
      },
      {
        BEHALF_OIDC_ISSUER: 'https://login.corp.example',
        BEHALF_OIDC_CLIENT_ID: 'b',
        BEHALF_OIDC_GROUPS_CLAIM: 'gr oups',
      },
      { BEHALF_OIDC_ISSUER: 'https://login.corp.example', BEHALF_OIDC_CLIENT_ID: 'b', BEHALF_OIDC_REDIRECT_URI: '/cb' },
    ];
    for (const env of cases) expect(() => oidcSettingsFromEnv(env)).toThrow(/Invalid OIDC configuration/);
  });
});
