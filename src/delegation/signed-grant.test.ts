import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  createForeignIssuer,
  createTestAuthority,
  decodeJson,
  EXPECTATION,
  encodeJson,
  ISSUER,
  publicKeyBytes,
  REQUEST,
  segments,
  signWith,
  validClaims,
} from '../../test/support/delegation-fixture.ts';
import { AppError } from '../protocol/errors.ts';
import { createGrantVerifier } from './grant-verifier.ts';

describe('signed grants: accepted', () => {
  it('verifies a freshly signed grant and returns its claims', async () => {
    const { authority, signToken } = await createTestAuthority();
    const check = await authority.verify(await signToken(), EXPECTATION);
    expect(check).toMatchObject({ ok: true, claims: { sub: 'alice', act: { sub: 'agent' }, aud: 'tool:sql' } });
  });

  it('signs with header { alg: EdDSA, kid, typ: JWT } and the grant claims as payload', async () => {
    const { authority } = await createTestAuthority();
    const grant = authority.mint(REQUEST);
    const token = await authority.sign(grant);
    const kid = authority.jwks().keys[0]?.kid;
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid, typ: 'JWT' });
    expect(decodeJwt(token)).toEqual({ ...grant.claims });
  });

  it('is accepted by a standalone verifier on the published JWKS', async () => {
    const { authority, clock, signToken } = await createTestAuthority();
    const verifier = createGrantVerifier({ issuer: ISSUER, keySet: createLocalJWKSet(authority.jwks()), clock });
    expect((await verifier.verify(await signToken(), EXPECTATION)).ok).toBe(true);
  });

  it('is accepted by a standalone verifier fetching GET /.well-known/jwks.json', async () => {
    const { authority, clock, signToken } = await createTestAuthority();
    const server = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(authority.jwks()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const keySet = createRemoteJWKSet(new URL(`http://127.0.0.1:${port}/.well-known/jwks.json`));
      const verifier = createGrantVerifier({ issuer: ISSUER, keySet, clock });
      expect((await verifier.verify(await signToken(), EXPECTATION)).ok).toBe(true);
    } finally {
      server.close();
    }
  });

  it('accepts a grant just past exp within the 5 s clock tolerance', async () => {
    const { authority, clock, signToken } = await createTestAuthority();
    const token = await signToken({ ttlSeconds: 60 });
    clock.advance(63_000);
    expect((await authority.verify(token, EXPECTATION)).ok).toBe(true);
  });

  it('caps a TTL request of 1 hour to 300 s', async () => {
    const { authority, signToken } = await createTestAuthority();
    const claims = decodeJwt(await signToken({ ttlSeconds: 3600 }));
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(300);
    expect(authority.mint({ ...REQUEST, ttlSeconds: 3600 }).claims.exp).toBe((claims.iat ?? 0) + 300);
  });
});

describe('signed grants: time', () => {
  it('rejects an expired grant', async () => {
    const { authority, clock, signToken } = await createTestAuthority();
    const token = await signToken();
    clock.advance(306_000);
    expect(await authority.verify(token, EXPECTATION)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('rejects a grant that is not yet valid', async () => {
    const { authority, clock, signToken } = await createTestAuthority();
    clock.advance(60_000);
    const token = await signToken();
    clock.advance(-60_000);
    expect(await authority.verify(token, EXPECTATION)).toMatchObject({ ok: false, reason: 'not_yet_valid' });
  });
});

describe('signed grants: issuer and binding', () => {
  it('rejects a grant from another issuer signed with the same key', async () => {
    const { authority, keys } = await createTestAuthority();
    const other = await createTestAuthority({ issuer: 'https://evil.test', keys });
    const token = await other.signToken();
    expect(await authority.verify(token, EXPECTATION)).toMatchObject({ ok: false, reason: 'bad_issuer' });
  });

  it('rejects a grant for another audience', async () => {
    const { authority, signToken } = await createTestAuthority();
    const check = await authority.verify(await signToken(), { ...EXPECTATION, audience: 'tool:hr' });
    expect(check).toMatchObject({ ok: false, reason: 'bad_audience' });
  });

  it('rejects a grant for another run', async () => {
    const { authority, signToken } = await createTestAuthority();
    const check = await authority.verify(await signToken({ runId: 'run_other' }), EXPECTATION);
    expect(check).toMatchObject({ ok: false, reason: 'wrong_run' });
  });

  it('rejects a grant for another thread', async () => {
    const { authority, signToken } = await createTestAuthority();
    const check = await authority.verify(await signToken({ threadId: 'thr_other' }), EXPECTATION);
    expect(check).toMatchObject({ ok: false, reason: 'wrong_thread' });
  });

  it('rejects a replayed jti', async () => {
    const { authority, signToken } = await createTestAuthority();
    const token = await signToken();
    expect((await authority.verify(token, EXPECTATION)).ok).toBe(true);
    expect(await authority.verify(token, EXPECTATION)).toMatchObject({ ok: false, reason: 'replayed' });
  });

  it('does not burn the jti of a grant refused for another reason', async () => {
    const { authority, signToken } = await createTestAuthority();
    const token = await signToken();
    await authority.verify(token, { ...EXPECTATION, runId: 'run_other' });
    expect((await authority.verify(token, EXPECTATION)).ok).toBe(true);
  });

  it('accepts reuse when the caller opts out of replay prevention', async () => {
    const { authority, signToken } = await createTestAuthority();
    const token = await signToken();
    const expectation = { ...EXPECTATION, preventReplay: false };
    expect((await authority.verify(token, expectation)).ok).toBe(true);
    expect((await authority.verify(token, expectation)).ok).toBe(true);
  });
});

describe('signed grants: algorithms and keys', () => {
  it('rejects alg: none (unsigned token)', async () => {
    const { authority, signToken } = await createTestAuthority();
    const [, payload] = segments(await signToken());
    const token = `${encodeJson({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    expect(await authority.verify(token, EXPECTATION)).toMatchObject({ ok: false, reason: 'bad_algorithm' });
  });

  it('rejects HS256 signed with the public key bytes as the secret (key confusion)', async () => {
    const { authority, clock } = await createTestAuthority();
    const [publicJwk] = authority.jwks().keys;
    const secrets = [publicKeyBytes(publicJwk!), new TextEncoder().encode(JSON.stringify(publicJwk))];
    for (const secret of secrets) {
      const token = await signWith(secret, 'HS256', validClaims(clock), { kid: publicJwk!.kid, typ: 'JWT' });
      expect(await authority.verify(token, EXPECTATION)).toMatchObject({ ok: false, reason: 'bad_algorithm' });
    }
  });

  it('rejects an RS256 token from another key', async () => {
    const { authority, clock } = await createTestAuthority();
    const { privateKey } = await generateKeyPair('RS256');
    const token = await signWith(privateKey, 'RS256', validClaims(clock), { kid: authority.jwks().keys[0]!.kid });
    expect(await authority.verify(token, EXPECTATION)).toMatchObject({ ok: false, reason: 'bad_algorithm' });
  });

  it('rejects an ES256 token from another key', async () => {
    const { authority, clock } = await createTestAuthority();
    const { privateKey } = await generateKeyPair('ES256');
    const token = await signWith(privateKey, 'ES256', validClaims(clock), { kid: authority.jwks().keys[0]!.kid });
    expect(await authority.verify(token, EXPECTATION)).toMatchObject({ ok: false, reason: 'bad_algorithm' });
  });

  it('rejects a token signed by an unknown key under a known kid', async () => {
    const { authority, clock } = await createTestAuthority();
    const attacker = await createForeignIssuer(clock);
    const token = await attacker.sign(validClaims(clock), { kid: authority.jwks().keys[0]!.kid });
    expect(await authority.verify(token, EXPECTATION)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a token signed by an unknown key under an unknown kid', async () => {
    const { authority, clock } = await createTestAuthority();
    const attacker = await createForeignIssuer(clock);
    const token = await attacker.sign(validClaims(clock));
    expect(await authority.verify(token, EXPECTATION)).toMatchObject({ ok: false, reason: 'unknown_key' });
  });

  it('rejects a token without a kid', async () => {
    const { authority, clock } = await createTestAuthority();
    const attacker = await createForeignIssuer(clock);
    const token = await signWith(attacker.privateKey, 'EdDSA', validClaims(clock), { typ: 'JWT' });
    expect(await authority.verify(token, EXPECTATION)).toMatchObject({ ok: false, reason: 'unknown_key' });
  });
});

describe('signed grants: tampering', () => {
  it('rejects a tampered payload (sub flipped to another user, signature kept)', async () => {
    const { authority, signToken } = await createTestAuthority();
    const [header, payload, signature] = segments(await signToken());
    const forged = encodeJson({ ...decodeJson(payload), sub: 'dana' });
    const check = await authority.verify(`${header}.${forged}.${signature}`, EXPECTATION);
    expect(check).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a tampered signature', async () => {
    const { authority, signToken } = await createTestAuthority();
    const [header, payload, signature] = segments(await signToken());
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    const check = await authority.verify(`${header}.${payload}.${flipped}`, EXPECTATION);
    expect(check).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a tampered header (kid swapped for another trusted key)', async () => {
    const { authority, signToken } = await createTestAuthority();
    const token = await signToken();
    await authority.rotate();
    const [header, payload, signature] = segments(token);
    const swapped = encodeJson({ ...decodeJson(header), kid: authority.jwks().keys[1]!.kid });
    const check = await authority.verify(`${swapped}.${payload}.${signature}`, EXPECTATION);
    expect(check).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it.each([
    ['garbage', 'not-a-token'],
    ['two segments', 'a.b'],
    ['empty string', ''],
    ['header that is not JSON', `${btoa('nope')}.e30.sig`],
  ])('rejects a malformed token: %s', async (_name, token) => {
    const { authority } = await createTestAuthority();
    expect(await authority.verify(token, EXPECTATION)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('rejects an oversized token without parsing it', async () => {
    const { authority } = await createTestAuthority();
    const check = await authority.verify(`${'a'.repeat(9000)}.b.c`, EXPECTATION);
    expect(check).toMatchObject({ ok: false, reason: 'malformed' });
  });
});

describe('signed grants: claims', () => {
  it('rejects a validly signed grant with no act claim', async () => {
    const { clock } = await createTestAuthority();
    const issuer = await createForeignIssuer(clock);
    const { act: _act, ...claims } = validClaims(clock);
    const check = await issuer.verifier.verify(await issuer.sign(claims), EXPECTATION);
    expect(check).toMatchObject({ ok: false, reason: 'invalid_claims' });
  });

  it.each(['sub', 'jti', 'thread', 'run', 'exp', 'mode'])(
    'rejects a validly signed grant without %s',
    async (claim) => {
      const { clock } = await createTestAuthority();
      const issuer = await createForeignIssuer(clock);
      const claims = validClaims(clock);
      delete claims[claim];
      const check = await issuer.verifier.verify(await issuer.sign(claims), EXPECTATION);
      expect(check).toMatchObject({ ok: false, reason: 'invalid_claims' });
    },
  );

  it('rejects a validly signed grant whose act.sub is not a string', async () => {
    const { clock } = await createTestAuthority();
    const issuer = await createForeignIssuer(clock);
    const check = await issuer.verifier.verify(
      await issuer.sign({ ...validClaims(clock), act: { sub: 7 } }),
      EXPECTATION,
    );
    expect(check).toMatchObject({ ok: false, reason: 'invalid_claims' });
  });

  it('accepts a nested actor chain (RFC 8693 §4.1) up to its limit, and refuses a deeper one', async () => {
    const { clock } = await createTestAuthority();
    const issuer = await createForeignIssuer(clock);
    const chain = (depth: number): Record<string, unknown> =>
      depth === 1 ? { sub: 'actor-1' } : { sub: `actor-${depth}`, act: chain(depth - 1) };
    const nested = await issuer.verifier.verify(
      await issuer.sign({ ...validClaims(clock), act: chain(4) }),
      EXPECTATION,
    );
    expect(nested).toMatchObject({ ok: true, claims: { act: chain(4) } });
    const deeper = await issuer.verifier.verify(
      await issuer.sign({ ...validClaims(clock), act: chain(5) }),
      EXPECTATION,
    );
    expect(deeper).toMatchObject({ ok: false, reason: 'invalid_claims' });
  });

  it('rejects a validly signed grant living longer than 300 s', async () => {
    const { clock } = await createTestAuthority();
    const issuer = await createForeignIssuer(clock);
    const claims = validClaims(clock);
    const check = await issuer.verifier.verify(
      await issuer.sign({ ...claims, exp: Number(claims.iat) + 3600 }),
      EXPECTATION,
    );
    expect(check).toMatchObject({ ok: false, reason: 'invalid_claims' });
  });

  it('rejects a validly signed grant expiring more than 300 s from now (future iat)', async () => {
    const { clock } = await createTestAuthority();
    const issuer = await createForeignIssuer(clock);
    const claims = validClaims(clock);
    const later = { iat: Number(claims.iat) + 3600, exp: Number(claims.exp) + 3600 };
    const check = await issuer.verifier.verify(await issuer.sign({ ...claims, ...later }), EXPECTATION);
    expect(check).toMatchObject({ ok: false, reason: 'invalid_claims' });
  });

  it('rejects a validly signed grant for several audiences', async () => {
    const { clock } = await createTestAuthority();
    const issuer = await createForeignIssuer(clock);
    const token = await issuer.sign({ ...validClaims(clock), aud: ['tool:sql', 'tool:hr'] });
    expect(await issuer.verifier.verify(token, EXPECTATION)).toMatchObject({ ok: false, reason: 'invalid_claims' });
  });

  it('rejects a validly signed token whose typ is not JWT', async () => {
    const { clock } = await createTestAuthority();
    const issuer = await createForeignIssuer(clock);
    const token = await issuer.sign(validClaims(clock), { typ: 'dpop+jwt' });
    expect(await issuer.verifier.verify(token, EXPECTATION)).toMatchObject({ ok: false, reason: 'malformed' });
  });
});

describe('signed grants: outages fail closed', () => {
  it('throws unavailable when the replay store fails', async () => {
    const { authority, clock, signToken } = await createTestAuthority();
    const verifier = createGrantVerifier({
      issuer: ISSUER,
      keySet: createLocalJWKSet(authority.jwks()),
      clock,
      jtis: { claim: () => Promise.reject(new Error('disk full')), purgeExpired: async () => 0 },
    });
    await expect(verifier.verify(await signToken(), EXPECTATION)).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('throws unavailable when the key set cannot be fetched', async () => {
    const { clock, signToken } = await createTestAuthority();
    const keySet = () => Promise.reject(new TypeError('fetch failed'));
    const verifier = createGrantVerifier({ issuer: ISSUER, keySet, clock });
    await expect(verifier.verify(await signToken(), EXPECTATION)).rejects.toBeInstanceOf(AppError);
  });
});
