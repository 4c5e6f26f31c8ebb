import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTestAuthority, EXPECTATION } from '../../test/support/delegation-fixture.ts';
import { ManualClock } from '../shared/clock.ts';
import { createKeyRing } from './key-ring.ts';
import { MemorySigningKeyStore } from './memory-stores.ts';

function ringOptions(store = new MemorySigningKeyStore(), clock = new ManualClock()) {
  return { store, clock, maxGrantTtlSeconds: 300, clockSkewSeconds: 5 };
}

describe('key ring', () => {
  it('generates and persists an Ed25519 key when the store is empty', async () => {
    const options = ringOptions();
    const ring = await createKeyRing(options);
    const stored = await options.store.list();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ kid: ring.signingKey().kid, retiredAt: null });
    expect(stored[0]?.privateJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
  });

  it('uses the RFC 7638 thumbprint as kid', async () => {
    const ring = await createKeyRing(ringOptions());
    const [jwk] = ring.jwks().keys;
    expect(jwk?.kid).toBe(await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: jwk!.x }));
  });

  it('reuses the stored key on restart instead of generating one', async () => {
    const options = ringOptions();
    const first = await createKeyRing(options);
    const second = await createKeyRing(options);
    expect(second.signingKey().kid).toBe(first.signingKey().kid);
    expect(await options.store.list()).toHaveLength(1);
  });

  it('publishes public keys only, with kid, alg and use (no private d)', async () => {
    const ring = await createKeyRing(ringOptions());
    const [jwk] = ring.jwks().keys;
    expect(Object.keys(jwk!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    expect(jwk).toMatchObject({ alg: 'EdDSA', use: 'sig', kty: 'OKP', crv: 'Ed25519' });
    expect(JSON.stringify(ring.jwks())).not.toContain('"d"');
  });

  it('refuses a stored key whose kid is not its thumbprint', async () => {
    const options = ringOptions();
    await createKeyRing(options);
    const [stored] = await options.store.list();
    const tampered = new MemorySigningKeyStore();
    await tampered.insert({ ...stored!, kid: 'chosen-by-attacker' });
    await expect(createKeyRing(ringOptions(tampered))).rejects.toMatchObject({ code: 'internal' });
  });

  it('rotate() signs with the new key and retires the previous one in the store', async () => {
    const options = ringOptions();
    const ring = await createKeyRing(options);
    const oldKid = ring.signingKey().kid;
    const newKid = await ring.rotate();
    expect(ring.signingKey().kid).toBe(newKid);
    const stored = await options.store.list();
    expect(stored.find((key) => key.kid === oldKid)?.retiredAt).toBe(options.clock.now());
    expect(stored.find((key) => key.kid === newKid)?.retiredAt).toBeNull();
  });

  it('serializes concurrent rotations: exactly one key stays active', async () => {
    const options = ringOptions();
    const ring = await createKeyRing(options);
    const [, last] = await Promise.all([ring.rotate(), ring.rotate()]);
    const active = (await options.store.list()).filter((key) => key.retiredAt === null);
    expect(active.map((key) => key.kid)).toEqual([last]);
    expect(ring.signingKey().kid).toBe(last);
  });

  it('reload() picks up a rotation made by another process sharing the store', async () => {
    const options = ringOptions();
    const processA = await createKeyRing(options);
    const processB = await createKeyRing(options);
    const newKid = await processA.rotate();
    await processB.reload();
    expect(processB.signingKey().kid).toBe(newKid);
    expect(processB.jwks().keys.map((key) => key.kid)).toContain(newKid);
  });
});

describe('key rotation with grants', () => {
  it('a grant signed before rotation verifies until its window passes, then fails with unknown_key', async () => {
    const { authority, clock, signToken } = await createTestAuthority();
    const oldKid = authority.jwks().keys[0]!.kid;
    const token = await signToken();
    const newKid = await authority.rotate();
    const reuse = { ...EXPECTATION, preventReplay: false };

    clock.advance(290_000);
    expect((await authority.verify(token, reuse)).ok).toBe(true);
    expect(authority.jwks().keys.map((key) => key.kid)).toEqual([oldKid, newKid]);

    clock.advance(16_000);
    expect(await authority.verify(token, reuse)).toMatchObject({ ok: false, reason: 'unknown_key' });
    expect(authority.jwks().keys.map((key) => key.kid)).toEqual([newKid]);
  });

  it('grants signed after rotation carry the new kid and verify', async () => {
    const { authority, signToken } = await createTestAuthority();
    const newKid = await authority.rotate();
    const token = await signToken();
    expect(JSON.parse(atob(token.split('.')[0]!)).kid).toBe(newKid);
    expect((await authority.verify(token, EXPECTATION)).ok).toBe(true);
  });

  it('a restarted authority still verifies grants of a retired key within its window', async () => {
    const { authority, clock, keys, signToken } = await createTestAuthority();
    const token = await signToken();
    await authority.rotate();
    const restarted = await createTestAuthority({ keys });
    restarted.clock.set(clock.now() + 60_000);
    expect((await restarted.authority.verify(token, EXPECTATION)).ok).toBe(true);
  });
});
