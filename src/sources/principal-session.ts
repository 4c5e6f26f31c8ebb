import { SqlQueryError } from './sql-query-error.ts';
import type { SourcePerson, SqlAccessProfile, SqlExecutor, SqlPrincipal } from './types.ts';

// No commas (the groups setting is comma-separated: `x,finance` must not smuggle in a group),
// no quotes or spaces; room for `agent:<threadId>`.
const PRINCIPAL_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$/;
const MAX_GROUPS = 64;

/** Refuses a principal whose id or groups could not be carried faithfully in the settings. */
export function assertPrincipal(principal: SqlPrincipal): void {
  const valid =
    PRINCIPAL_ID.test(principal.id) &&
    principal.groups.length <= MAX_GROUPS &&
    principal.groups.every((group) => GROUP_NAME.test(group));
  if (!valid) throw new SqlQueryError('invalid', 'the acting principal is malformed');
}

/**
 * The transaction-local settings that carry `principal`'s identity on a source: the id and
 * comma-separated groups of a two-setting profile, or what its identity convention templates.
 * Throws `SqlQueryError` (`invalid`, `unidentified`) rather than set anything incomplete.
 */
export function identitySettings(
  access: SqlAccessProfile,
  principal: SourcePerson,
): ReadonlyArray<readonly [name: string, value: string]> {
  assertPrincipal(principal);
  if ('settingsFor' in access) return access.settingsFor(principal);
  return [
    [access.userSetting, principal.id],
    [access.groupsSetting, principal.groups.join(',')],
  ];
}

/**
 * Makes the rest of the transaction act for `principal`, in one statement run as the session
 * user: identity into transaction-local settings (read by the source's row-level security), the
 * statement timeout, and last the role (`set_config('role', …)` is `SET LOCAL ROLE`). Names and
 * values travel as bind parameters only. Once the role is switched nobody can call `set_config`
 * (revoked from PUBLIC, or refused in the plan by `deniedFunctions`), so no later statement can
 * rewrite the identity or the role.
 */
export async function actAs(
  tx: SqlExecutor,
  access: SqlAccessProfile,
  principal: SourcePerson,
  role: string,
  timeoutMs: number,
): Promise<void> {
  const settings = identitySettings(access, principal);
  const params: string[] = [];
  const calls: string[] = [];
  for (const [name, value] of [
    ...settings,
    ['statement_timeout', `${Math.max(1, Math.floor(timeoutMs))}ms`] as const,
    ['role', role] as const,
  ]) {
    params.push(name, value);
    calls.push(`set_config($${params.length - 1}, $${params.length}, true)`);
  }
  await tx.query(`SELECT ${calls.join(', ')}`, params);
}
