import { randomBytes } from 'node:crypto';
import { UserIdSchema } from '../../protocol/wire.ts';

/** Longest user id and group name Behalf accepts. */
const MAX_LENGTH = 64;

/**
 * The Behalf user id a new person provisioned as `userName` gets, before uniqueness: the local
 * part of an email-like user name (`Ana.Ruiz@riverside.example` → `ana.ruiz`), lower-cased,
 * accents dropped, anything outside the user id alphabet (`a-z 0-9 . _ -`) replaced by `-`.
 * `user` when nothing is left.
 */
export function userIdCandidate(userName: string): string {
  const local = userName.includes('@') ? userName.slice(0, userName.lastIndexOf('@')) : userName;
  const id = slug(local.toLowerCase(), /[^a-z0-9._-]+/g).slice(0, MAX_LENGTH);
  const trimmed = id.replace(/[._-]+$/, '');
  return UserIdSchema.safeParse(trimmed).success ? trimmed : 'user';
}

/**
 * The group name policies will use for a group provisioned as `displayName` (`Sales EMEA` →
 * `sales-emea`): lower-cased, accents dropped, runs of anything outside `A-Z a-z 0-9 . _ -`
 * replaced by `-`, at most 64 characters. `group` when nothing is left. The caller prefers a
 * name that exists already in another case (a workspace's `ward-A`).
 */
export function groupNameCandidate(displayName: string): string {
  const name = slug(displayName.toLowerCase(), /[^a-z0-9._-]+/g)
    .slice(0, MAX_LENGTH)
    .replace(/[._-]+$/, '');
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name) ? name : 'group';
}

/** `base`, or `base-2`, `base-3`… the first one `taken` says is free (a random suffix after 99). */
export async function firstFree(base: string, taken: (candidate: string) => Promise<boolean>): Promise<string> {
  if (!(await taken(base))) return base;
  for (let n = 2; n < 100; n += 1) {
    const candidate = `${base.slice(0, MAX_LENGTH - String(n).length - 1)}-${n}`;
    if (!(await taken(candidate))) return candidate;
  }
  for (;;) {
    const suffix = randomBytes(4).toString('hex');
    const candidate = `${base.slice(0, MAX_LENGTH - suffix.length - 1)}-${suffix}`;
    if (!(await taken(candidate))) return candidate;
  }
}

function slug(text: string, outside: RegExp): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(outside, '-')
    .replace(/^[._-]+/, '');
}
