import { UserIdSchema } from '../../protocol/wire.ts';
import type { UserId } from '../types.ts';
import type { OidcSettings } from './oidc-settings.ts';

/** Who an ID token says signed in, in Behalf's terms. */
export interface OidcProfile {
  id: UserId;
  name: string;
  groups: string[];
  /** False when the token carried no groups claim at all (the person then has no groups). */
  groupsClaimPresent: boolean;
}

/** The outcome of mapping claims: a profile, or why the token cannot sign anyone in. */
export type ClaimMapping = { ok: true; profile: OidcProfile } | { ok: false; message: string };

const MAX_GROUPS = 256;
const MAX_GROUP_LENGTH = 128;
const MAX_NAME_LENGTH = 200;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Maps validated ID token claims to a Behalf person. The rules, documented in docs/SECURITY.md:
 *
 * - **User id**: the value of `userIdClaim` (`sub` by default, or `preferred_username`), used
 *   as is. It must already match the user id pattern (`UserIdSchema`: lower-case letters,
 *   digits, `.`, `_`, `-`, at most 64). Nothing is lower-cased, trimmed or replaced: two distinct
 *   provider accounts must never map to one Behalf user, so a value that does not fit is refused.
 * - **Name**: `name`, else `preferred_username`, else the user id.
 * - **Groups**: the claim named `groupsClaim` (`groups`); when no claim has that exact name and
 *   it contains dots, the dotted path (`realm_access.roles`). An array of strings, or one string
 *   for one group. **A missing claim means no groups** (least privilege: the person signs in
 *   but is cleared for nothing group-based); a claim of another type, an empty or over-long
 *   group name, or more than 256 groups refuses the login.
 */
export function mapOidcClaims(
  claims: Readonly<Record<string, unknown>>,
  settings: Pick<OidcSettings, 'userIdClaim' | 'groupsClaim'>,
): ClaimMapping {
  const rawId = claims[settings.userIdClaim];
  if (typeof rawId !== 'string' || rawId === '') {
    return { ok: false, message: `The ID token has no "${settings.userIdClaim}" claim to use as the user id.` };
  }
  const id = UserIdSchema.safeParse(rawId);
  if (!id.success) {
    return {
      ok: false,
      message: `The account's "${settings.userIdClaim}" is not a valid Behalf user id (lower-case letters, digits, ".", "_" or "-", at most 64).`,
    };
  }
  const groups = readGroups(claims, settings.groupsClaim);
  if (!groups.ok) return groups;
  return {
    ok: true,
    profile: {
      id: id.data,
      name: displayName(claims, id.data),
      groups: groups.groups,
      groupsClaimPresent: groups.present,
    },
  };
}

type GroupsReading = { ok: true; groups: string[]; present: boolean } | { ok: false; message: string };

function readGroups(claims: Readonly<Record<string, unknown>>, name: string): GroupsReading {
  const value = Object.hasOwn(claims, name) ? claims[name] : name.includes('.') ? readPath(claims, name) : undefined;
  if (value === undefined || value === null) return { ok: true, groups: [], present: false };
  const list = typeof value === 'string' ? [value] : value;
  const refused = (why: string): GroupsReading => ({ ok: false, message: `The "${name}" claim ${why}.` });
  if (!Array.isArray(list)) return refused('is neither a list of group names nor one group name');
  if (list.length > MAX_GROUPS) return refused(`lists more than ${MAX_GROUPS} groups`);
  const groups = new Set<string>();
  for (const group of list) {
    if (typeof group !== 'string') return refused('holds something other than group names');
    if (group === '' || group.length > MAX_GROUP_LENGTH || CONTROL.test(group)) {
      return refused(`holds an empty, control-character or over-long (>${MAX_GROUP_LENGTH}) group name`);
    }
    groups.add(group);
  }
  return { ok: true, groups: [...groups].sort(), present: true };
}

function readPath(claims: Readonly<Record<string, unknown>>, path: string): unknown {
  let current: unknown = claims;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function displayName(claims: Readonly<Record<string, unknown>>, fallback: string): string {
  for (const candidate of [claims.name, claims.preferred_username]) {
    if (typeof candidate === 'string') {
      const name = candidate.replace(new RegExp(CONTROL, 'g'), '').trim().slice(0, MAX_NAME_LENGTH);
      if (name) return name;
    }
  }
  return fallback;
}
