import { createPostgresSource, describePostgres, type PostgresLocation } from '../postgres-source.ts';
import { PLAIN_IDENTIFIER } from '../query-roles.ts';
import type { SqlSetupTarget } from '../types.ts';
import { applySetupOnce, SETUP_LOCK, type SetupOutcome, type SetupScript } from './source-setup.ts';

/**
 * The statements that let `login`, a non-superuser login, serve a source whose queries run as
 * `roles`, and nothing more: membership in those roles (so it can `SET LOCAL ROLE` to them),
 * EXECUTE on `set_config`, which a hardened source revokes from PUBLIC (the login sets the
 * requester's identity before it switches; the query role then has no way to call it), and USAGE
 * on the `schemas` of its tables, so the checks at open can find them (no table privilege). The login
 * is best created NOINHERIT: then it reads no data as itself. Membership is server-wide and
 * granted once, tolerating a concurrent twin.
 */
export function loginGrantsSql(login: string, roles: readonly string[], schemas: readonly string[] = []): string {
  if (!PLAIN_IDENTIFIER.test(login) || roles.includes(login)) {
    throw new Error(`"${login}" cannot be a source's login role: use a plain lower-case name of its own`);
  }
  for (const name of [...roles, ...schemas]) {
    if (!PLAIN_IDENTIFIER.test(name)) throw new Error(`"${name}" is not a plain lower-case name`);
  }
  return `
DO $$
DECLARE
  wanted text;
BEGIN
  FOREACH wanted IN ARRAY ARRAY[${roles.map((role) => `'${role}'`).join(', ')}]::text[] LOOP
    IF NOT EXISTS (
      SELECT FROM pg_catalog.pg_auth_members m
      WHERE m.roleid = wanted::regrole AND m.member = '${login}'::regrole
    ) THEN
      BEGIN
        EXECUTE format('GRANT %I TO %I', wanted, '${login}');
      EXCEPTION WHEN unique_violation THEN
        NULL;
      END;
    END IF;
  END LOOP;
END $$;
GRANT EXECUTE ON FUNCTION pg_catalog.set_config(text, text, boolean) TO ${login};
${schemas.map((schema) => `GRANT USAGE ON SCHEMA ${schema} TO ${login};`).join('\n')}
`;
}

/** What `setUpThroughAdmin` needs: the admin URL, the login it prepares, and what to run. */
export interface AdminSetupOptions {
  adminUrl: string;
  /** The login of the source's own URL. */
  login: PostgresLocation;
  /** The source's name: the key of its setup record. */
  source: string;
  scripts: readonly SetupScript[];
  hash: string;
  /** The roles the login must be able to switch to: the query role and the write role. */
  roles: readonly string[];
  /** The schemas of the source's tables. */
  schemas: readonly string[];
}

/**
 * PostgreSQL's counterpart of an embedded source's setup: through a superuser connection to the
 * same database, runs the setup scripts once (`applySetupOnce`, serialized across processes that
 * start together) and grants the source's login what `loginGrantsSql` lists, unless the login is
 * that superuser or another one. The source itself then connects as its login and is inspected
 * like any database Behalf does not own.
 */
export async function setUpThroughAdmin(options: AdminSetupOptions): Promise<SetupOutcome | undefined> {
  const admin = describePostgres(options.adminUrl);
  if (admin.database !== options.login.database) {
    throw new Error(`adminUrl names database "${admin.database}", url "${options.login.database}": give the same one`);
  }
  let outcome: SetupOutcome | undefined;
  const installer = await createPostgresSource({
    connectionString: options.adminUrl,
    poolSize: 1,
    setup: async (target) => {
      if (options.scripts.length > 0) {
        outcome = await applySetupOnce(target, options.source, options.scripts, options.hash);
      }
      if (options.login.user !== admin.user && !(await isSuperuser(target, options.login.user))) {
        await grantLogin(target, loginGrantsSql(options.login.user, options.roles, options.schemas));
      }
    },
  });
  await installer.close();
  return outcome;
}

async function isSuperuser(target: SqlSetupTarget, role: string): Promise<boolean> {
  const { rows } = await target.query<{ rolsuper: boolean }>(
    'SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = $1',
    [role],
  );
  const found = rows[0];
  if (!found) {
    throw new Error(`login role "${role}" does not exist: create it first (CREATE ROLE ${role} LOGIN NOINHERIT ...)`);
  }
  return found.rolsuper;
}

/** Grants under the setup lock: concurrent GRANTs on one function would otherwise collide. */
async function grantLogin(target: SqlSetupTarget, script: string): Promise<void> {
  await target.exec('BEGIN');
  try {
    await target.query('SELECT pg_advisory_xact_lock($1, $2)', [...SETUP_LOCK]);
    await target.exec(script);
    await target.exec('COMMIT');
  } catch (error) {
    await target.exec('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
