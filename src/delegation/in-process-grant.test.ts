import { describe, expect, it } from 'vitest';
import { createTestAuthority, EXPECTATION, REQUEST } from '../../test/support/delegation-fixture.ts';
import { sequentialIds } from '../shared/ids.ts';
import { DelegationGrant } from './grant.ts';
import { createGrantAuthority } from './grant-authority.ts';

describe('mint', () => {
  it('builds the I2 claims: sub, act, aud, scope, thread, run, jti, iat, nbf, exp, mode', async () => {
    const { authority, clock } = await createTestAuthority();
    const now = Math.floor(clock.now() / 1000);
    const grant = authority.mint({ ...REQUEST, mode: 'self', subject: 'agent:thr_1', requester: 'alice' });
    expect(grant.claims).toEqual({
      iss: authority.issuer,
      sub: 'agent:thr_1',
      act: { sub: 'agent' },
      aud: 'tool:sql',
      scope: 'sql:read',
      thread: 'thr_1',
      run: 'run_1',
      jti: expect.any(String),
      iat: now,
      nbf: now,
      exp: now + 300,
      mode: 'self',
      requester: 'alice',
    });
  });

  it('gives every grant its own jti', async () => {
    const { authority } = await createTestAuthority();
    expect(authority.mint(REQUEST).claims.jti).not.toBe(authority.mint(REQUEST).claims.jti);
  });

  it('caps a TTL request of 1 hour to 300 s', async () => {
    const { authority } = await createTestAuthority();
    const { claims } = authority.mint({ ...REQUEST, ttlSeconds: 3600 });
    expect(claims.exp - claims.iat).toBe(300);
  });

  it('honours a shorter TTL', async () => {
    const { authority } = await createTestAuthority();
    const { claims } = authority.mint({ ...REQUEST, ttlSeconds: 30 });
    expect(claims.exp - claims.iat).toBe(30);
  });

  it('returns a frozen grant whose claims cannot be edited', async () => {
    const { authority } = await createTestAuthority();
    const grant = authority.mint(REQUEST);
    expect(Object.isFrozen(grant) && Object.isFrozen(grant.claims) && Object.isFrozen(grant.claims.act)).toBe(true);
  });

  it.each([
    ['empty subject', { subject: '' }],
    ['empty actor', { actor: '' }],
    ['empty audience', { audience: '' }],
    ['empty thread', { threadId: '' }],
    ['empty run', { runId: '' }],
    ['TTL of 0', { ttlSeconds: 0 }],
    ['negative TTL', { ttlSeconds: -5 }],
    ['NaN TTL', { ttlSeconds: Number.NaN }],
  ])('refuses a request with %s (bad_request)', async (_name, change) => {
    const { authority } = await createTestAuthority();
    expect(() => authority.mint({ ...REQUEST, ...change })).toThrow(expect.objectContaining({ code: 'bad_request' }));
  });
});

describe('verifyInProcess: accepted', () => {
  it('accepts a genuine grant for this audience, thread and run', async () => {
    const { authority } = await createTestAuthority();
    const grant = authority.mint(REQUEST);
    expect(authority.verifyInProcess(grant, EXPECTATION)).toEqual({
      ok: true,
      claims: grant.claims,
      subjectGroups: [],
    });
  });

  it('carries the subject groups the gateway minted it with, and binds it to its one call', async () => {
    const { authority } = await createTestAuthority();
    const grant = authority.mint({ ...REQUEST, subjectGroups: ['sales'], callId: 'run-1:call-1' });
    expect(authority.verifyInProcess(grant, { ...EXPECTATION, callId: 'run-1:call-1' })).toMatchObject({
      ok: true,
      subjectGroups: ['sales'],
    });
    const other = authority.mint({ ...REQUEST, callId: 'run-1:call-2' });
    expect(authority.verifyInProcess(other, { ...EXPECTATION, callId: 'run-1:call-1' })).toMatchObject({
      ok: false,
      reason: 'wrong_call',
    });
    // Groups never travel in a signed grant.
    expect(await authority.sign(grant)).not.toContain('sales');
  });

  it('accepts a grant checked for audience only', async () => {
    const { authority } = await createTestAuthority();
    expect(authority.verifyInProcess(authority.mint(REQUEST), { audience: 'tool:sql' }).ok).toBe(true);
  });
});

describe('verifyInProcess: forged objects', () => {
  const forgeries: [string, (grant: DelegationGrant) => unknown][] = [
    ['new DelegationGrant(...) with the same claims', (grant) => new DelegationGrant({ ...grant.claims })],
    ['an object spread', (grant) => ({ ...grant })],
    ['Object.create(grant)', (grant) => Object.create(grant)],
    ['Object.create(DelegationGrant.prototype) with claims', (grant) => forgeWithPrototype(grant)],
    ['structuredClone', (grant) => structuredClone(grant)],
    ['a JSON round-trip', (grant) => JSON.parse(JSON.stringify(grant))],
    ['a Proxy around a genuine grant', (grant) => new Proxy(grant, {})],
  ];

  it.each(forgeries)('rejects %s as forged', async (_name, forge) => {
    const { authority } = await createTestAuthority();
    const forged = forge(authority.mint(REQUEST));
    expect(authority.verifyInProcess(forged, EXPECTATION)).toMatchObject({ ok: false, reason: 'forged' });
    expect(authority.isGenuine(forged)).toBe(false);
  });

  it('rejects a grant minted by another authority', async () => {
    const { authority } = await createTestAuthority();
    const other = await createTestAuthority();
    const check = authority.verifyInProcess(other.authority.mint(REQUEST), EXPECTATION);
    expect(check).toMatchObject({ ok: false, reason: 'forged' });
  });

  it.each([
    ['null', null],
    ['a string', 'grant'],
    ['a signed token string', 'eyJhbGciOiJFZERTQSJ9.e30.sig'],
    ['undefined', undefined],
  ])('rejects %s as forged without throwing', async (_name, value) => {
    const { authority } = await createTestAuthority();
    expect(authority.verifyInProcess(value, EXPECTATION)).toMatchObject({ ok: false, reason: 'forged' });
  });
});

describe('verifyInProcess: rejections', () => {
  it('rejects an expired in-process grant', async () => {
    const { authority, clock } = await createTestAuthority();
    const grant = authority.mint({ ...REQUEST, ttlSeconds: 60 });
    clock.advance(60_000);
    expect(authority.verifyInProcess(grant, EXPECTATION)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('rejects an in-process grant before its nbf', async () => {
    const { authority, clock } = await createTestAuthority();
    const grant = authority.mint(REQUEST);
    clock.advance(-2_000);
    expect(authority.verifyInProcess(grant, EXPECTATION)).toMatchObject({ ok: false, reason: 'not_yet_valid' });
  });

  it('rejects an in-process grant for another audience', async () => {
    const { authority } = await createTestAuthority();
    const check = authority.verifyInProcess(authority.mint(REQUEST), { ...EXPECTATION, audience: 'tool:hr' });
    expect(check).toMatchObject({ ok: false, reason: 'bad_audience' });
  });

  it('rejects an in-process grant for another thread', async () => {
    const { authority } = await createTestAuthority();
    const check = authority.verifyInProcess(authority.mint({ ...REQUEST, threadId: 'thr_2' }), EXPECTATION);
    expect(check).toMatchObject({ ok: false, reason: 'wrong_thread' });
  });

  it('rejects an in-process grant for another run', async () => {
    const { authority } = await createTestAuthority();
    const check = authority.verifyInProcess(authority.mint({ ...REQUEST, runId: 'run_2' }), EXPECTATION);
    expect(check).toMatchObject({ ok: false, reason: 'wrong_run' });
  });

  it('rejects a replayed in-process grant', async () => {
    const { authority } = await createTestAuthority();
    const grant = authority.mint(REQUEST);
    expect(authority.verifyInProcess(grant, EXPECTATION).ok).toBe(true);
    expect(authority.verifyInProcess(grant, EXPECTATION)).toMatchObject({ ok: false, reason: 'replayed' });
  });

  it('allows reuse of an in-process grant when preventReplay is false', async () => {
    const { authority } = await createTestAuthority();
    const grant = authority.mint(REQUEST);
    const expectation = { ...EXPECTATION, preventReplay: false };
    expect(authority.verifyInProcess(grant, expectation).ok).toBe(true);
    expect(authority.verifyInProcess(grant, expectation).ok).toBe(true);
  });
});

describe('sign', () => {
  it.each([
    ['a DelegationGrant built outside the authority', (grant: DelegationGrant) => new DelegationGrant(grant.claims)],
    ['a structural copy', (grant: DelegationGrant) => ({ ...grant }) as DelegationGrant],
  ])('refuses to sign %s (forbidden)', async (_name, forge) => {
    const { authority } = await createTestAuthority();
    const forged = forge(authority.mint(REQUEST));
    await expect(authority.sign(forged)).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('createGrantAuthority', () => {
  it('refuses a maxTtlSeconds above the 300 s cap', async () => {
    const { keys, jtis, clock } = await createTestAuthority();
    const options = { issuer: 'x', keys, jtis, clock, ids: sequentialIds(), maxTtlSeconds: 3600 };
    await expect(createGrantAuthority(options)).rejects.toMatchObject({ code: 'bad_request' });
  });
});

function forgeWithPrototype(grant: DelegationGrant): unknown {
  const forged = Object.create(DelegationGrant.prototype);
  forged.claims = grant.claims;
  return forged;
}
