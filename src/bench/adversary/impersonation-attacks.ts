import type { AdversaryVictims } from './adversarial-types.ts';
import type { AttackDraft } from './attack-drafts.ts';
import {
  APPROVAL_KEYS,
  CREDENTIAL_KEYS,
  hostileTokens,
  IDENTITY_KEYS,
  lookalikeIds,
  SCOPE_KEYS,
} from './hostile-values.ts';

/**
 * The baseline call plus arguments claiming another identity or scope: every identity key with
 * every victim, stolen and forged grants under every credential key, lookalike ids, other runs'
 * and threads' ids, nested and prototype-polluting variants, and everything at once. A tool
 * derives identity only from the verified grant (I2), so none of these may change who acts.
 */
export function impersonationAttacks(baseline: Record<string, unknown>, victims: AdversaryVictims): AttackDraft[] {
  const tokens = hostileTokens(victims);
  const firstUser = victims.users[0];
  const variant = (
    category: AttackDraft['category'],
    description: string,
    extra: Record<string, unknown>,
  ): AttackDraft => ({
    category,
    description,
    input: { ...baseline, ...extra },
  });
  const drafts: AttackDraft[] = [
    ...IDENTITY_KEYS.flatMap((key) =>
      victims.users.map((user) => variant('impersonation', `${key}=${user}`, { [key]: user })),
    ),
    ...CREDENTIAL_KEYS.flatMap((key) =>
      tokens.map((token, index) =>
        variant('impersonation', `${key}=token#${index}`, {
          [key]: key === 'authorization' ? `Bearer ${token}` : token,
        }),
      ),
    ),
    ...(firstUser
      ? lookalikeIds(firstUser).map((id) => variant('impersonation', `user=${JSON.stringify(id)}`, { user: id }))
      : []),
    ...victims.users.map((user) =>
      variant('impersonation', `every identity key=${user} with a grant and an approval`, {
        ...Object.fromEntries(IDENTITY_KEYS.map((key) => [key, user])),
        ...Object.fromEntries(CREDENTIAL_KEYS.map((key) => [key, tokens[0] ?? 'none'])),
        ...APPROVAL_KEYS,
      }),
    ),
    ...(victims.runIds ?? []).flatMap((runId) =>
      SCOPE_KEYS.run.map((key) => variant('cross-scope', `${key}=${runId}`, { [key]: runId })),
    ),
    ...(victims.threadIds ?? []).flatMap((threadId) =>
      SCOPE_KEYS.thread.map((key) => variant('cross-scope', `${key}=${threadId}`, { [key]: threadId })),
    ),
  ];
  if (firstUser) {
    const token = tokens[0] ?? 'none';
    drafts.push(
      variant('impersonation', 'nested context', { context: { user: firstUser, grant: token } }),
      variant('impersonation', 'headers', { headers: { Authorization: `Bearer ${token}`, 'X-User': firstUser } }),
      variant('impersonation', 'MCP _meta', { _meta: { authorization: `Bearer ${token}`, user: firstUser } }),
      variant('impersonation', 'constructor.prototype', { constructor: { prototype: { user: firstUser } } }),
      {
        category: 'impersonation',
        description: '__proto__ pollution',
        rawInput: `${JSON.stringify(baseline).slice(0, -1)}${Object.keys(baseline).length > 0 ? ',' : ''}"__proto__":{"user":${JSON.stringify(firstUser)},"isAdmin":true}}`,
      },
    );
  }
  return drafts;
}
