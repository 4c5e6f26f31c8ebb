import type { CryptoKey, JWK, JWTPayload } from 'jose';
import { base64url, calculateJwkThumbprint, createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createGrantAuthority } from '../../src/delegation/grant-authority.ts';
import { createGrantVerifier } from '../../src/delegation/grant-verifier.ts';
import { MemoryJtiStore, MemorySigningKeyStore } from '../../src/delegation/memory-stores.ts';
import type { GrantExpectation, GrantRequest } from '../../src/delegation/types.ts';
import { ManualClock } from '../../src/shared/clock.ts';
import { sequentialIds } from '../../src/shared/ids.ts';

/** Test helpers for the delegation domain: an authority on a manual clock, and token crafting. */

export const ISSUER = 'https://behalf.test';

/** A grant request for alice's run `run_1` in thread `thr_1`, calling the `sql` tool. */
export const REQUEST: GrantRequest = {
  subject: 'alice',
  actor: 'agent',
  audience: 'tool:sql',
  scope: 'sql:read',
  threadId: 'thr_1',
  runId: 'run_1',
  mode: 'user',
};

/** What the `sql` tool expects for that call. */
export const EXPECTATION: GrantExpectation = { audience: 'tool:sql', threadId: 'thr_1', runId: 'run_1' };

/** An authority with in-memory stores and a clock the test moves. */
export async function createTestAuthority(options: { issuer?: string; keys?: MemorySigningKeyStore } = {}) {
  const clock = new ManualClock();
  const keys = options.keys ?? new MemorySigningKeyStore();
  const jtis = new MemoryJtiStore(clock);
  const authority = await createGrantAuthority({
    issuer: options.issuer ?? ISSUER,
    keys,
    jtis,
    clock,
    ids: sequentialIds(),
  });
  const signToken = (request: Partial<GrantRequest> = {}) => authority.sign(authority.mint({ ...REQUEST, ...request }));
  return { clock, keys, jtis, authority, signToken };
}

/** An Ed25519 key outside any authority, with a verifier that trusts it: for hand-made claims. */
export async function createForeignIssuer(clock: ManualClock) {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const publicJwk = await exportJWK(pair.publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const verifier = createGrantVerifier({
    issuer: ISSUER,
    keySet: createLocalJWKSet({ keys: [{ ...publicJwk, kid, alg: 'EdDSA', use: 'sig' }] }),
    clock,
  });
  const sign = (payload: JWTPayload, header: { kid?: string; typ?: string } = {}) =>
    signWith(pair.privateKey, 'EdDSA', payload, { kid, typ: 'JWT', ...header });
  return { kid, privateKey: pair.privateKey, verifier, sign };
}

/** A valid claims set at `clock`'s time, to edit in claim-level tests. */
export function validClaims(clock: ManualClock): JWTPayload {
  const now = Math.floor(clock.now() / 1000);
  return {
    iss: ISSUER,
    sub: 'alice',
    act: { sub: 'agent' },
    aud: 'tool:sql',
    scope: 'sql:read',
    thread: 'thr_1',
    run: 'run_1',
    jti: `jti_${now}_${Math.random()}`,
    iat: now,
    nbf: now,
    exp: now + 300,
    mode: 'user',
  };
}

/** Signs any payload with any key and header, as an attacker with their own key would. */
export function signWith(
  key: CryptoKey | Uint8Array,
  alg: string,
  payload: JWTPayload,
  header: { kid?: string; typ?: string } = {},
) {
  return new SignJWT(payload).setProtectedHeader({ alg, ...header }).sign(key);
}

/** Splits a compact JWS into its three segments. */
export function segments(token: string): [string, string, string] {
  const [header = '', payload = '', signature = ''] = token.split('.');
  return [header, payload, signature];
}

/** base64url(JSON) of a value: a hand-made header or payload segment. */
export function encodeJson(value: unknown): string {
  return base64url.encode(JSON.stringify(value));
}

/** Parses a base64url JSON segment. */
export function decodeJson(segment: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(base64url.decode(segment)));
}

/** A JWK's `x` as raw bytes (the public key), for key-confusion attempts. */
export function publicKeyBytes(jwk: Pick<JWK, 'x'>): Uint8Array {
  return base64url.decode(jwk.x ?? '');
}
