import type { SqlSetupTarget } from '../types.ts';
import { ACME_ACCESS } from './schema.ts';
import { ACME_INSTALL_LOCK } from './seed.ts';

// A plain lower-case identifier: interpolated into DDL, so nothing that needs quoting rules.
const LOGIN_ROLE = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The statements that let `role`, a non-superuser login, serve as an Acme source's connection,
 * and nothing more: membership in the query roles (so it can switch to them), EXECUTE on
 * `set_config` (revoked from PUBLIC; the login sets the identity before it switches, after which
 * the query role has no way to call it), and read access to the version row. The login role is
 * best created NOINHERIT (`CREATE ROLE behalf_app LOGIN NOINHERIT PASSWORD ...`): then it reads
 * no data as itself, only as a query role acting for someone. Membership is server-wide and
 * granted once (tolerating a concurrent twin); the rest is per database.
 */
export function acmeLoginGrantsSql(role: string): string {
  if (!LOGIN_ROLE.test(role) || role === ACME_ACCESS.readerRole || role === ACME_ACCESS.writerRole) {
    throw new Error(`"${role}" cannot be an Acme login role: use a plain lower-case name of its own`);
  }
  return `
DO $$
DECLARE
  wanted text;
BEGIN
  FOREACH wanted IN ARRAY ARRAY['${ACME_ACCESS.readerRole}', '${ACME_ACCESS.writerRole}'] LOOP
    IF NOT EXISTS (
      SELECT FROM pg_catalog.pg_auth_members m
      WHERE m.roleid = wanted::regrole AND m.member = '${role}'::regrole
    ) THEN
      BEGIN
        EXECUTE format('GRANT %I TO %I', wanted, '${role}');
      EXCEPTION WHEN unique_violation THEN
        NULL;
      END;
    END IF;
  END LOOP;
END $$;
GRANT EXECUTE ON FUNCTION pg_catalog.set_config(text, text, boolean) TO ${role};
GRANT USAGE ON SCHEMA acme_private TO ${role};
GRANT SELECT ON acme_private.schema_version TO ${role};
`;
}

/**
 * Grants `role` what `acmeLoginGrantsSql` lists, on a connection that may (a superuser), under
 * the install lock: concurrent GRANTs on one function would otherwise collide. Idempotent.
 */
export async function grantAcmeLogin(target: SqlSetupTarget, role: string): Promise<void> {
  const script = acmeLoginGrantsSql(role);
  await target.exec('BEGIN');
  try {
    await target.query('SELECT pg_advisory_xact_lock($1, $2)', [...ACME_INSTALL_LOCK]);
    await target.exec(script);
    await target.exec('COMMIT');
  } catch (error) {
    await target.exec('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
