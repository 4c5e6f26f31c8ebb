import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryConnectorCredentialStore } from '../../test/support/connector-credentials-memory-store.ts';
import { createTestAuthority, REQUEST } from '../../test/support/delegation-fixture.ts';
import type { ConnectorCredentialKey } from './connector-credential-types.ts';
import { type ConnectorCredentials, createConnectorCredentials } from './connector-credentials.ts';
import { DelegationGrant } from './grant.ts';
import type { GrantAuthority, GrantRequest } from './types.ts';

const CRM = 'https://crm.test/mcp';
const MAIL = 'https://mail.test/mcp';

describe('ConnectorCredentials', () => {
  let authority: GrantAuthority;
  let clock: Awaited<ReturnType<typeof createTestAuthority>>['clock'];
  let store: MemoryConnectorCredentialStore;
  let secret: Uint8Array;
  let credentials: ConnectorCredentials;
  const grantFor = (user: string, change: Partial<GrantRequest> = {}) =>
    authority.mint({ ...REQUEST, subject: user, audience: CRM, ...change });
  const key = (user: string, resource = CRM): ConnectorCredentialKey => ({ tenant: 'default', user, resource });

  beforeEach(async () => {
    ({ authority, clock } = await createTestAuthority());
    store = new MemoryConnectorCredentialStore();
    secret = randomBytes(32);
    credentials = createConnectorCredentials({ store, secret, grants: authority, clock });
    await credentials.connect({ user: 'alice', resource: CRM }, { accessToken: 'alice-crm-token', expiresAt: null });
    await credentials.connect({ user: 'bob', resource: CRM }, { accessToken: 'bob-crm-token', expiresAt: null });
    await credentials.connect({ user: 'bob', resource: MAIL }, { accessToken: 'bob-mail-token', expiresAt: null });
  });

  it("returns the token of the grant's subject for the grant's audience", async () => {
    expect(await credentials.forGrant(grantFor('bob'))).toEqual({ accessToken: 'bob-crm-token', expiresAt: null });
    expect(await credentials.forGrant(grantFor('bob', { audience: MAIL }))).toMatchObject({
      accessToken: 'bob-mail-token',
    });
    expect(await credentials.forGrant(grantFor('alice'))).toMatchObject({ accessToken: 'alice-crm-token' });
  });

  it('returns nothing for a person who has not connected that server', async () => {
    expect(await credentials.forGrant(grantFor('carol'))).toBeUndefined();
    expect(await credentials.forGrant(grantFor('alice', { audience: MAIL }))).toBeUndefined();
  });

  it('I9: a cross-user lookup cannot be expressed: nothing reads by user id', async () => {
    // @ts-expect-error a user id is not a grant
    await expect(credentials.forGrant('alice')).rejects.toMatchObject({ code: 'forbidden' });
    // @ts-expect-error neither is a key naming the user
    await expect(credentials.forGrant({ user: 'alice', resource: CRM })).rejects.toMatchObject({ code: 'forbidden' });
    expect(Object.keys(credentials).sort()).toEqual(['connect', 'disconnect', 'forGrant', 'status', 'tenant']);
    // `status` names a user (for their own settings page) but yields no token: only its state.
    const status = await credentials.status({ user: 'alice', resource: CRM });
    expect(Object.keys(status).sort()).toEqual(['connected', 'expiresAt', 'updatedAt']);
    expect(status.connected).toBe(true);
  });

  it('I9: a forged grant naming alice never yields her token', async () => {
    const genuine = grantFor('bob');
    const forgeries: unknown[] = [
      new DelegationGrant({ ...genuine.claims, sub: 'alice' }),
      { claims: { ...genuine.claims, sub: 'alice' } },
      Object.assign(Object.create(DelegationGrant.prototype), { claims: { ...genuine.claims, sub: 'alice' } }),
      JSON.parse(JSON.stringify(grantFor('alice'))),
    ];
    for (const forgery of forgeries) {
      await expect(credentials.forGrant(forgery as DelegationGrant)).rejects.toMatchObject({
        code: 'forbidden',
        message: expect.stringMatching(/genuine/),
      });
    }
  });

  it('refuses a self-authorized grant: an agent has no personal credentials', async () => {
    const grant = grantFor('agent:thr_1', { mode: 'self', requester: 'bob' });
    await expect(credentials.forGrant(grant)).rejects.toMatchObject({ code: 'forbidden', message: /self-authorized/ });
  });

  it('refuses an expired grant', async () => {
    const grant = grantFor('bob', { ttlSeconds: 60 });
    clock.advance(60_000);
    await expect(credentials.forGrant(grant)).rejects.toMatchObject({ code: 'forbidden', message: /expired/ });
  });

  it('treats a token past its own expiry as absent', async () => {
    await credentials.connect({ user: 'bob', resource: CRM }, { accessToken: 'short', expiresAt: clock.now() + 1000 });
    expect(await credentials.forGrant(grantFor('bob'))).toMatchObject({ accessToken: 'short' });
    clock.advance(1000);
    expect(await credentials.forGrant(grantFor('bob'))).toBeUndefined();
  });

  it('stores only ciphertext: the token appears in no encoding at rest', async () => {
    const row = await store.get(key('bob'));
    const token = 'bob-crm-token';
    for (const encoding of ['utf8', 'base64', 'base64url', 'hex'] as const) {
      expect(JSON.stringify(row)).not.toContain(Buffer.from(token).toString(encoding).replace(/=+$/, ''));
    }
    expect(row?.sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('I9: a sealed token moved to another user row fails to open instead of leaking', async () => {
    const alices = await store.get(key('alice'));
    await store.put({ ...(alices as NonNullable<typeof alices>), user: 'bob' });
    await expect(credentials.forGrant(grantFor('bob'))).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringMatching(/moved from another user/),
    });
  });

  it('I9: a sealed token moved to another server row fails to open', async () => {
    const crm = await store.get(key('bob'));
    await store.put({ ...(crm as NonNullable<typeof crm>), resource: MAIL });
    await expect(credentials.forGrant(grantFor('bob', { audience: MAIL }))).rejects.toMatchObject({ code: 'internal' });
  });

  it('partitions by tenant: another tenant on the same store sees nothing', async () => {
    const other = createConnectorCredentials({ store, secret, grants: authority, clock, tenant: 'globex' });
    expect(await other.forGrant(grantFor('bob'))).toBeUndefined();
  });

  it('fails cleanly with the wrong secret key, naming the problem', async () => {
    const wrong = createConnectorCredentials({ store, secret: randomBytes(32), grants: authority, clock });
    await expect(wrong.forGrant(grantFor('bob'))).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringMatching(/another secret key.*BEHALF_SECRET_KEY/),
    });
  });

  it('forgets a token on disconnect', async () => {
    expect(await credentials.disconnect({ user: 'bob', resource: CRM })).toBe(true);
    expect(await credentials.forGrant(grantFor('bob'))).toBeUndefined();
    expect(await credentials.forGrant(grantFor('alice'))).toMatchObject({ accessToken: 'alice-crm-token' });
  });

  it('refuses an empty token, user or resource', async () => {
    await expect(
      credentials.connect({ user: 'bob', resource: CRM }, { accessToken: '', expiresAt: null }),
    ).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(
      credentials.connect({ user: '', resource: CRM }, { accessToken: 'x', expiresAt: null }),
    ).rejects.toMatchObject({
      code: 'bad_request',
    });
  });
});
