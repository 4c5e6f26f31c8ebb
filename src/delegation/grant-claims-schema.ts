import { z } from 'zod';
import { type ActorClaim, MAX_ACTOR_CHAIN } from './types.ts';

const identifier = z.string().min(1).max(512);
const numericDate = z.number().int().nonnegative();

/** An actor chain (RFC 8693 §4.1 nested `act`), at most `MAX_ACTOR_CHAIN` deep. */
const actorClaim = (depth: number): z.ZodType<ActorClaim> =>
  depth <= 1
    ? z.object({ sub: identifier, act: z.never().optional() })
    : z.object({ sub: identifier, act: z.lazy(() => actorClaim(depth - 1)).optional() });

/**
 * The payload of a signed grant, checked after the signature: a validly signed token is still
 * refused (`invalid_claims`) unless every claim of SPEC I2 is present and well-typed. Unknown
 * claims are dropped, so callers only ever see `GrantClaims`.
 */
export const grantClaimsSchema = z.object({
  iss: identifier,
  sub: identifier,
  act: actorClaim(MAX_ACTOR_CHAIN),
  aud: identifier,
  scope: z.string().max(2048),
  thread: identifier,
  run: identifier,
  jti: identifier,
  iat: numericDate,
  nbf: numericDate,
  exp: numericDate,
  mode: z.enum(['user', 'self']),
  requester: identifier.optional(),
});
