import { describe, expect, it } from 'vitest';
import { mapOidcClaims } from './oidc-claims.ts';

const settings = { userIdClaim: 'sub', groupsClaim: 'groups' } as const;

describe('mapOidcClaims', () => {
  it('maps sub, name and groups', () => {
    expect(mapOidcClaims({ sub: 'alice', name: ' Alice Chen ', groups: ['managers', 'hr', 'hr'] }, settings)).toEqual({
      ok: true,
      profile: { id: 'alice', name: 'Alice Chen', groups: ['hr', 'managers'], groupsClaimPresent: true },
    });
  });

  it('uses preferred_username when configured, and falls back for the name', () => {
    const mapped = mapOidcClaims(
      { sub: '8f1c2a9e-0000', preferred_username: 'bob' },
      { userIdClaim: 'preferred_username', groupsClaim: 'groups' },
    );
    expect(mapped).toMatchObject({ ok: true, profile: { id: 'bob', name: 'bob', groups: [] } });
  });

  it('never transforms an id that does not fit the user id pattern (no case folding, no trimming)', () => {
    for (const sub of ['Alice', 'alice@corp.example', ' alice', '', 'a'.repeat(65), '-alice']) {
      expect(mapOidcClaims({ sub, groups: [] }, settings)).toMatchObject({ ok: false });
    }
    expect(mapOidcClaims({ groups: [] }, settings)).toMatchObject({
      ok: false,
      message: expect.stringContaining('"sub"'),
    });
    expect(mapOidcClaims({ sub: 42 }, settings)).toMatchObject({ ok: false });
  });

  it('treats a missing groups claim as no groups, and says so', () => {
    expect(mapOidcClaims({ sub: 'gus' }, settings)).toMatchObject({
      ok: true,
      profile: { groups: [], groupsClaimPresent: false },
    });
    expect(mapOidcClaims({ sub: 'gus', groups: null }, settings)).toMatchObject({ ok: true, profile: { groups: [] } });
  });

  it('accepts one group as a string and reads a dotted claim path', () => {
    expect(mapOidcClaims({ sub: 'gus', groups: 'sales' }, settings)).toMatchObject({ profile: { groups: ['sales'] } });
    const nested = { sub: 'gus', realm_access: { roles: ['sales', 'sales-apac'] } };
    expect(mapOidcClaims(nested, { userIdClaim: 'sub', groupsClaim: 'realm_access.roles' })).toMatchObject({
      profile: { groups: ['sales', 'sales-apac'] },
    });
    // A claim whose name contains dots (namespaced claims) is read by its exact name first.
    const namespaced = { sub: 'gus', 'https://corp.example/groups': ['execs'] };
    expect(mapOidcClaims(namespaced, { userIdClaim: 'sub', groupsClaim: 'https://corp.example/groups' })).toMatchObject(
      {
        profile: { groups: ['execs'] },
      },
    );
  });

  it('refuses malformed groups claims', () => {
    for (const groups of [42, { hr: true }, ['hr', 7], [''], ['a'.repeat(129)], ['hr\u0000'], Array(257).fill('g')]) {
      expect(mapOidcClaims({ sub: 'gus', groups }, settings)).toMatchObject({ ok: false });
    }
  });
});
