import { describe, expect, it } from 'vitest';
import type { StoredSigningKey } from '../../../../src/delegation/types.ts';
import { freshStoreFor, type OpenStore, T0 } from './store-fixtures.ts';

const aKey = (kid: string, createdAt: number): StoredSigningKey => ({
  kid,
  publicJwk: { kty: 'OKP', crv: 'Ed25519', x: `x-${kid}`, kid, key_ops: ['verify'] },
  privateJwk: { kty: 'OKP', crv: 'Ed25519', x: `x-${kid}`, d: `d-${kid}`, kid, key_ops: ['sign'] },
  createdAt,
  retiredAt: null,
});

/** SigningKeyStore and JtiStore (I2: rotation, single-use grant ids). */
export function describeDelegationConformance(open: OpenStore): void {
  const store = freshStoreFor(open);

  describe('signing keys', () => {
    it('round-trips keys, oldest first', async () => {
      await store().signingKeys.insert(aKey('k2', T0 + 1));
      await store().signingKeys.insert(aKey('k1', T0));
      expect(await store().signingKeys.list()).toEqual([aKey('k1', T0), aKey('k2', T0 + 1)]);
    });

    it('refuses a second key with the same kid', async () => {
      await store().signingKeys.insert(aKey('k1', T0));
      await expect(store().signingKeys.insert(aKey('k1', T0 + 1))).rejects.toThrow();
    });

    it('retires a key, and a second retirement keeps the first time', async () => {
      await store().signingKeys.insert(aKey('k1', T0));
      await store().signingKeys.insert(aKey('k2', T0 + 1));
      await store().signingKeys.retire('k1', T0 + 10);
      await store().signingKeys.retire('k1', T0 + 99);
      const keys = await store().signingKeys.list();
      expect(keys.map((key) => key.retiredAt)).toEqual([T0 + 10, null]);
    });

    it('refuses to retire an unknown key with not_found', async () => {
      await expect(store().signingKeys.retire('nope', T0)).rejects.toMatchObject({ code: 'not_found' });
    });
  });

  describe('jtis', () => {
    it('claims a jti once; a replay returns false', async () => {
      expect(await store().jtis.claim('jti-1', T0 + 300_000)).toBe(true);
      expect(await store().jtis.claim('jti-1', T0 + 300_000)).toBe(false);
      expect(await store().jtis.claim('jti-2', T0 + 300_000)).toBe(true);
    });

    it('lets exactly one of many concurrent claims of one jti succeed', async () => {
      const claims = await Promise.all(Array.from({ length: 20 }, () => store().jtis.claim('jti-1', T0 + 1)));
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    it('purges the jtis expired at `now` and keeps refusing live ones', async () => {
      await store().jtis.claim('old', T0 - 1);
      await store().jtis.claim('edge', T0);
      await store().jtis.claim('live', T0 + 1);
      expect(await store().jtis.purgeExpired(T0)).toBe(2);
      expect(await store().jtis.purgeExpired(T0)).toBe(0);
      expect(await store().jtis.claim('live', T0 + 1)).toBe(false);
    });
  });
}
