import { describe, expect, it } from 'vitest';
import { ManualClock } from '../shared/clock.ts';
import { MemoryJtiStore, MemorySigningKeyStore } from './memory-stores.ts';

describe('MemoryJtiStore', () => {
  it('claims a jti once and reports the second claim as a replay', async () => {
    const clock = new ManualClock();
    const store = new MemoryJtiStore(clock);
    expect(await store.claim('grant_1', clock.now() + 1000)).toBe(true);
    expect(await store.claim('grant_1', clock.now() + 1000)).toBe(false);
  });

  it('purges ids whose window has passed', async () => {
    const clock = new ManualClock();
    const store = new MemoryJtiStore(clock);
    await store.claim('short', clock.now() + 1000);
    await store.claim('long', clock.now() + 60_000);
    expect(await store.purgeExpired(clock.now() + 1000)).toBe(1);
    expect(await store.claim('long', clock.now() + 60_000)).toBe(false);
  });

  it('forgets expired ids as new ones arrive, so memory stays bounded', async () => {
    const clock = new ManualClock();
    const store = new MemoryJtiStore(clock);
    for (let second = 0; second < 1000; second++) {
      await store.claim(`grant_${second}`, clock.now() + 300_000);
      clock.advance(1000);
    }
    // Purging at the end of time removes (and so counts) everything still remembered.
    expect(await store.purgeExpired(Number.POSITIVE_INFINITY)).toBeLessThanOrEqual(301);
  });
});

describe('MemorySigningKeyStore', () => {
  const key = { kid: 'k1', publicJwk: { kty: 'OKP' }, privateJwk: { kty: 'OKP' }, createdAt: 1, retiredAt: null };

  it('refuses a duplicate kid', async () => {
    const store = new MemorySigningKeyStore();
    await store.insert(key);
    await expect(store.insert(key)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('keeps the first retirement time', async () => {
    const store = new MemorySigningKeyStore();
    await store.insert(key);
    await store.retire('k1', 10);
    await store.retire('k1', 20);
    expect((await store.list())[0]?.retiredAt).toBe(10);
  });

  it('returns copies, so callers cannot edit stored keys', async () => {
    const store = new MemorySigningKeyStore();
    await store.insert(key);
    const [listed] = await store.list();
    listed!.retiredAt = 5;
    expect((await store.list())[0]?.retiredAt).toBeNull();
  });
});
