import { SqlQueryError } from './sql-query-error.ts';
import type { SqlAccessProfile, SqlExecutor, SqlPrincipal } from './types.ts';

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
 * Makes the rest of the transaction act for `principal`, in one statement run as the session
 * user: identity into transaction-local settings (read by the source's row-level security), the
 * statement timeout, and last the role (`set_config('role', …)` is `SET LOCAL ROLE`). Once the
 * role is switched nobody can call `set_config` (revoked from PUBLIC), so no later statement can
 * rewrite the identity or the role.
 */
export async function actAs(
  tx: SqlExecutor,
  access: SqlAccessProfile,
  principal: SqlPrincipal,
  role: string,
  timeoutMs: number,
): Promise<void> {
  assertPrincipal(principal);
  await tx.query(
    `SELECT set_config($1, $2, true), set_config($3, $4, true), set_config('statement_timeout', $5, true),
            set_config('role', $6, true)`,
    [
      access.userSetting,
      principal.id,
      access.groupsSetting,
      principal.groups.join(','),
      `${Math.max(1, Math.floor(timeoutMs))}ms`,
      role,
    ],
  );
}
