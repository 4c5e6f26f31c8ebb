import { z } from 'zod';

const identifier = z.string().min(1).max(512);
const numericDate = z.number().int().nonnegative();

/**
 * The payload of a signed grant, checked after the signature: a validly signed token is still
 * refused (`invalid_claims`) unless every claim of SPEC I2 is present and well-typed. Unknown
 * claims are dropped, so callers only ever see `GrantClaims`.
 */
export const grantClaimsSchema = z.object({
  iss: identifier,
  sub: identifier,
  act: z.object({ sub: identifier }),
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
