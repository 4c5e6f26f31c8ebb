import type { JWTVerifyGetKey } from 'jose';
import { errors, jwtVerify } from 'jose';
import { AppError } from '../protocol/errors.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import { checkBinding, refuse } from './grant-check.ts';
import { grantClaimsSchema } from './grant-claims-schema.ts';
import { rejectionFromJose } from './jose-rejection.ts';
import { MemoryJtiStore } from './memory-stores.ts';
import type { GrantCheck, GrantExpectation, GrantVerifier, JtiStore } from './types.ts';

/** Options of a standalone verifier (a tool outside the process, or the authority itself). */
export interface GrantVerifierOptions {
  /** The only accepted `iss`. */
  issuer: string;
  /** Key resolver: `createRemoteJWKSet(new URL('/.well-known/jwks.json', base))`, `createLocalJWKSet(jwks)`... */
  keySet: JWTVerifyGetKey;
  /** Where used `jti`s are recorded. Default: in memory, which suffices for a single process. */
  jtis?: JtiStore;
  clock?: Clock;
  /** Allowed clock difference with the issuer, seconds (default 5). */
  clockToleranceSeconds?: number;
  /** Longest lifetime (`exp - iat`) accepted, seconds (default 300, SPEC I2). */
  maxTtlSeconds?: number;
}

// Grants are a few hundred bytes; refusing huge inputs early bounds the work an attacker can cause.
const MAX_TOKEN_LENGTH = 8192;

/** Creates a verifier of signed grants; see `GrantVerifier.verify` for what it checks. */
export function createGrantVerifier(options: GrantVerifierOptions): GrantVerifier {
  const { issuer, keySet } = options;
  const clock = options.clock ?? systemClock;
  const jtis = options.jtis ?? new MemoryJtiStore(clock);
  const tolerance = options.clockToleranceSeconds ?? 5;
  const maxTtl = options.maxTtlSeconds ?? 300;

  // Anything but a jose error out of the key set (a failed fetch) is an outage, not a bad token.
  const getKey: JWTVerifyGetKey = async (header, token) => {
    try {
      return await keySet(header, token);
    } catch (error) {
      if (error instanceof errors.JOSEError) throw error;
      throw new AppError('unavailable', 'grant key set unavailable', undefined, { cause: error });
    }
  };

  return {
    async verify(token: string, expectation: GrantExpectation): Promise<GrantCheck> {
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return refuse('malformed', 'not a grant token');
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          algorithms: ['EdDSA'],
          issuer,
          audience: expectation.audience,
          typ: 'JWT',
          currentDate: new Date(clock.now()),
          clockTolerance: tolerance,
        }));
      } catch (error) {
        return rejectionFromJose(error);
      }

      const parsed = grantClaimsSchema.safeParse(payload);
      if (!parsed.success) {
        const claim = parsed.error.issues[0]?.path.join('.') ?? 'payload';
        return refuse('invalid_claims', `claim "${claim}" is missing or invalid`);
      }
      const claims = parsed.data;
      // I2 caps a grant's life: both as issued and as seen from now (a future `iat` must not stretch it).
      const now = clock.now() / 1000;
      if (claims.exp - claims.iat > maxTtl || claims.exp > now + maxTtl + tolerance) {
        return refuse('invalid_claims', 'grant lifetime exceeds the cap');
      }
      if (claims.nbf >= claims.exp) return refuse('invalid_claims', 'grant is never valid');
      const mismatch = checkBinding(claims, expectation);
      if (mismatch) return mismatch;

      if (expectation.preventReplay !== false) {
        // Remembered as long as the token could still be accepted, tolerance included.
        if (!(await claimJti(jtis, claims.jti, (claims.exp + tolerance) * 1000))) {
          return refuse('replayed', 'grant was already used');
        }
      }
      return { ok: true, claims };
    },
  };
}

async function claimJti(jtis: JtiStore, jti: string, expiresAt: number): Promise<boolean> {
  try {
    return await jtis.claim(jti, expiresAt);
  } catch (error) {
    throw new AppError('unavailable', 'replay store unavailable', undefined, { cause: error });
  }
}
