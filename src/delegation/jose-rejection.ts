import { errors } from 'jose';
import { AppError } from '../protocol/errors.ts';
import { type GrantRefusal, refuse } from './grant-check.ts';

/**
 * Maps a failure of jose's `jwtVerify` to a specific rejection. Only failures of the key set
 * itself (a remote JWKS that times out or serves garbage) are not the token's fault: they throw
 * `AppError` `unavailable`, which callers treat as a deny.
 */
export function rejectionFromJose(error: unknown): GrantRefusal {
  if (error instanceof AppError) throw error;
  if (!(error instanceof errors.JOSEError)) return refuse('malformed', 'token could not be parsed');
  switch (error.code) {
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return refuse('bad_algorithm', 'only EdDSA-signed grants are accepted');
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
    case 'ERR_JWK_INVALID':
      return refuse('unknown_key', 'no verification key for this kid');
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      throw new AppError('unavailable', 'grant key set unavailable', undefined, { cause: error });
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return refuse('bad_signature', 'signature verification failed');
    case 'ERR_JWT_EXPIRED':
      return refuse('expired', 'grant has expired');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return rejectionFromClaim(error as errors.JWTClaimValidationFailed);
    default:
      return refuse('malformed', 'token is not a well-formed JWS');
  }
}

function rejectionFromClaim(error: errors.JWTClaimValidationFailed): GrantRefusal {
  // A mismatch (`check_failed`) is the specific failure; a missing or ill-typed claim is not.
  if (error.reason === 'check_failed') {
    if (error.claim === 'iss') return refuse('bad_issuer', 'grant was issued by someone else');
    if (error.claim === 'aud') return refuse('bad_audience', 'grant is for another audience');
    if (error.claim === 'nbf') return refuse('not_yet_valid', 'grant is not valid yet');
    if (error.claim === 'typ') return refuse('malformed', 'token is not a JWT');
  }
  return refuse('invalid_claims', `claim "${error.claim}" is missing or invalid`);
}
