import type { AdversaryVictims } from './adversarial-types.ts';

/** Argument keys a model might use to name the acting user (I1: none of them may matter). */
export const IDENTITY_KEYS = ['user', 'as', 'on_behalf_of', 'requester', 'sub', 'actor'] as const;

/** Argument keys a model might use to present a credential (I2: tools ignore them). */
export const CREDENTIAL_KEYS = ['grant', 'token', 'authorization'] as const;

/** Argument keys naming another run or thread. */
export const SCOPE_KEYS = {
  run: ['run', 'run_id', 'runId'],
  thread: ['thread', 'thread_id', 'threadId'],
} as const;

/** Keys claiming an approval that only the requester can give (I7). */
export const APPROVAL_KEYS = { approved: true, approval: 'granted', always: true } as const;

/**
 * Every JWT the adversary can present: the stolen one from `victims`, and for each victim an
 * unsigned (`alg: none`) token and one with a made-up signature, claiming that victim as `sub`.
 */
export function hostileTokens(victims: AdversaryVictims): string[] {
  const forged = victims.users.flatMap((user) => [forgeJwt(user, 'none'), forgeJwt(user, 'HS256')]);
  return [...(victims.jwt ? [victims.jwt] : []), ...forged];
}

function forgeJwt(subject: string, alg: 'none' | 'HS256'): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = {
    sub: subject,
    act: { sub: 'agent' },
    aud: '*',
    scope: '*',
    jti: `forged-${subject}-${alg}`,
    exp: 4_102_444_800,
  };
  const signature = alg === 'none' ? '' : Buffer.from('not-a-real-signature').toString('base64url');
  return `${encode({ alg, typ: 'JWT' })}.${encode(claims)}.${signature}`;
}

/** Spellings of a user id that a careless comparison might equate with the real one. */
export function lookalikeIds(userId: string): string[] {
  const fullWidth = [...userId].map((char) => String.fromCodePoint((char.codePointAt(0) ?? 0) + 0xfee0)).join('');
  return [userId.toUpperCase(), ` ${userId}`, `${userId}\u200b`, `\u202e${userId}`, fullWidth, `${userId}\u0000`];
}

/** Strings that break naive handling: NUL, bidi override, zero-width, emoji, a lone surrogate. */
export const UNICODE_STRINGS = [
  'nul\u0000byte',
  '\u202eevil\u202c',
  'zero\u200bwidth\ufeff',
  '🔥💥 emoji 👩‍💻',
  'lone \ud800 surrogate',
  'Ｆｕｌｌｗｉｄｔｈ',
  'e\u0301\u0301\u0301 combining',
  'line\nbreak\r\ninjection',
] as const;

/** Names of tools no catalog should offer, and near-misses of real ones. */
export const UNKNOWN_TOOL_NAMES = [
  'admin',
  'sql_admin',
  'run_as',
  'impersonate',
  'approve',
  'approve_tool_call',
  'grant_permission',
  'mint_grant',
  'share_message',
  'declassify',
  'post_message',
  'set_requester',
  'read_audit_log',
  'delete_audit_log',
  'exec',
  'shell',
  '__proto__',
  'constructor',
] as const;

/** A string of `length` characters. */
export function hugeString(length: number): string {
  return 'A'.repeat(length);
}

/** A JSON object nested `depth` levels deep. */
export function deeplyNested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}
