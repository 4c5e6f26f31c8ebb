import type { CryptoKey, JWTVerifyGetKey } from 'jose';
import { calculateJwkThumbprint, errors, exportJWK, generateKeyPair, importJWK } from 'jose';
import { AppError } from '../protocol/errors.ts';
import type { Clock } from '../shared/clock.ts';
import type {
  JsonWebKeyShape,
  PublicJsonWebKeySet,
  PublicSigningJwk,
  SigningKeyStore,
  StoredSigningKey,
} from './types.ts';

/** What a key ring needs: where keys live, the time, and how long a retired key must still verify. */
export interface KeyRingOptions {
  store: SigningKeyStore;
  clock: Clock;
  /** Longest grant lifetime (seconds): a retired key keeps verifying that long after retirement. */
  maxGrantTtlSeconds: number;
  /** Verifiers' clock tolerance (seconds), added to the retirement window. */
  clockSkewSeconds: number;
}

/** Ed25519 signing keys with `kid` = RFC 7638 thumbprint, rotation, and the public JWKS. */
export interface KeyRing {
  /** The key new grants are signed with. */
  signingKey(): { kid: string; privateKey: CryptoKey };
  /** jose key resolver: the public key named by the header's `kid`, while it is still in its window. */
  readonly getKey: JWTVerifyGetKey<CryptoKey>;
  /** Public keys that currently verify (never private parts). */
  jwks(): PublicJsonWebKeySet;
  /** Generates and persists a new signing key and retires the previous one. Returns the new `kid`. */
  rotate(): Promise<string>;
  /** Re-reads the store (another process may have rotated); imports only keys not seen before. */
  reload(): Promise<void>;
}

interface RingEntry {
  publicJwk: PublicSigningJwk;
  // Imported once: importing costs far more than a signature.
  publicKey: CryptoKey;
  privateKey: CryptoKey | null;
  createdAt: number;
  retiredAt: number | null;
}

const ALGORITHM = 'EdDSA';

/** Loads the ring from `store`, generating and persisting a first key when the store is empty. */
export async function createKeyRing(options: KeyRingOptions): Promise<KeyRing> {
  const { store, clock } = options;
  const windowMs = (options.maxGrantTtlSeconds + options.clockSkewSeconds) * 1000;
  const entries = new Map<string, RingEntry>();
  let current: { kid: string; privateKey: CryptoKey } | null = null;
  let rotation: Promise<unknown> = Promise.resolve();

  const verifies = (entry: RingEntry, now: number) => entry.retiredAt === null || now < entry.retiredAt + windowMs;

  function pickSigningKey(): void {
    let best: [string, RingEntry] | null = null;
    for (const [kid, entry] of entries) {
      if (entry.privateKey === null || entry.retiredAt !== null) continue;
      // Two processes may each have generated a first key; all of them pick the same one.
      if (!best || entry.createdAt > best[1].createdAt || (entry.createdAt === best[1].createdAt && kid > best[0])) {
        best = [kid, entry];
      }
    }
    current = best?.[1].privateKey ? { kid: best[0], privateKey: best[1].privateKey } : null;
  }

  async function reload(): Promise<void> {
    const now = clock.now();
    for (const stored of await store.list()) {
      const known = entries.get(stored.kid);
      if (known) known.retiredAt = stored.retiredAt;
      else if (stored.retiredAt === null || now < stored.retiredAt + windowMs) {
        entries.set(stored.kid, await importStoredKey(stored));
      }
    }
    pickSigningKey();
  }

  async function addNewKey(): Promise<string> {
    const stored = await generateStoredKey(clock.now());
    await store.insert(stored);
    entries.set(stored.kid, await importStoredKey(stored));
    return stored.kid;
  }

  async function rotateNow(): Promise<string> {
    const previous = [...entries].filter(([, entry]) => entry.retiredAt === null);
    const kid = await addNewKey();
    const now = clock.now();
    for (const [oldKid, entry] of previous) {
      await store.retire(oldKid, now);
      entry.retiredAt = now;
    }
    pickSigningKey();
    return kid;
  }

  await reload();
  if (!current) {
    await addNewKey();
    pickSigningKey();
  }

  return {
    signingKey() {
      if (!current) throw new AppError('internal', 'no signing key');
      return current;
    },
    getKey(header) {
      if (header.alg !== ALGORITHM) throw new errors.JOSEAlgNotAllowed('only EdDSA grants are accepted');
      const entry = typeof header.kid === 'string' ? entries.get(header.kid) : undefined;
      if (!entry || !verifies(entry, clock.now()))
        throw new errors.JWKSNoMatchingKey('no verification key for this kid');
      return entry.publicKey;
    },
    jwks() {
      const now = clock.now();
      const keys = [...entries.values()]
        .filter((entry) => verifies(entry, now))
        .map((entry) => ({ ...entry.publicJwk }));
      return { keys };
    },
    rotate() {
      // Serialized: two concurrent rotations must not retire each other's new key.
      const next = rotation.then(rotateNow, rotateNow);
      rotation = next.catch(() => undefined);
      return next;
    },
    reload,
  };
}

async function generateStoredKey(now: number): Promise<StoredSigningKey> {
  const pair = await generateKeyPair(ALGORITHM, { crv: 'Ed25519', extractable: true });
  const exported = await exportJWK(pair.privateKey);
  const publicJwk = await publicJwkOf({ kty: exported.kty, crv: exported.crv, x: exported.x });
  return {
    kid: publicJwk.kid,
    publicJwk,
    privateJwk: { kty: 'OKP', crv: 'Ed25519', x: publicJwk.x, d: exported.d, kid: publicJwk.kid, alg: ALGORITHM },
    createdAt: now,
    retiredAt: null,
  };
}

/** Builds the published JWK from scratch so nothing but public members can ever leak into the JWKS. */
async function publicJwkOf(jwk: JsonWebKeyShape): Promise<PublicSigningJwk> {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
    throw new AppError('internal', 'signing key is not an Ed25519 key');
  }
  const kid = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: jwk.x });
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid, alg: ALGORITHM, use: 'sig' };
}

async function importStoredKey(stored: StoredSigningKey): Promise<RingEntry> {
  const publicJwk = await publicJwkOf(stored.publicJwk);
  // A kid that is not the key's thumbprint means the store was edited: refuse rather than sign with it.
  if (publicJwk.kid !== stored.kid || stored.privateJwk.x !== publicJwk.x) {
    throw new AppError('internal', 'stored signing key does not match its kid', { kid: stored.kid });
  }
  const { d } = stored.privateJwk;
  return {
    publicJwk,
    publicKey: await importJWK({ kty: 'OKP', crv: 'Ed25519', x: publicJwk.x }, ALGORITHM),
    privateKey:
      typeof d === 'string' ? await importJWK({ kty: 'OKP', crv: 'Ed25519', x: publicJwk.x, d }, ALGORITHM) : null,
    createdAt: stored.createdAt,
    retiredAt: stored.retiredAt,
  };
}
