import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../../protocol/errors.ts';
import { sha256Hex } from '../../shared/hash.ts';

/** SCIM provisioning settings; provisioning is off (its routes do not exist) without them. */
export interface ScimSettings {
  /** The bearer token the identity provider presents (`BEHALF_SCIM_TOKEN`). */
  token: string;
}

/** Shortest token accepted: a guessable token would let anyone make themself an administrator. */
export const MIN_SCIM_TOKEN_LENGTH = 32;

/**
 * Reads `BEHALF_SCIM_TOKEN`. Unset or empty: SCIM is off (null). A token shorter than 32
 * characters or with spaces or control characters refuses to start (`bad_request`): it is the
 * one credential that can create people and put them in any group.
 */
export function scimSettingsFromEnv(env: Record<string, string | undefined>): ScimSettings | null {
  const token = env.BEHALF_SCIM_TOKEN?.trim();
  if (!token) return null;
  if (token.length < MIN_SCIM_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(token)) {
    throw new AppError(
      'bad_request',
      `BEHALF_SCIM_TOKEN must be at least ${MIN_SCIM_TOKEN_LENGTH} printable characters without spaces (for example the output of \`openssl rand -hex 32\`)`,
    );
  }
  return { token };
}

/**
 * Whether a presented bearer token is the configured one, in constant time: both are hashed
 * first, so neither their contents nor their lengths show in the time it takes.
 */
export function scimTokenMatches(settings: ScimSettings, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(Buffer.from(sha256Hex(settings.token), 'hex'), Buffer.from(sha256Hex(presented), 'hex'));
}
