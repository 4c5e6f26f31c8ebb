import { PLAIN_IDENTIFIER } from '../query-roles.ts';

/**
 * Hardening of a workspace source, a database Behalf may not own: what model-written SQL must
 * never call, what Behalf applies itself to the embedded databases it creates, and what it asks
 * the administrator of any other to run.
 */

/** Changes a setting: the identity (`request.jwt.claims`, `app.user_id`) or the role itself. */
export const SET_CONFIG = 'set_config';

/**
 * Functions a model-written statement may not call on a workspace source (refused from the plan,
 * whatever the database grants): what changes settings (identity, role), runs SQL text out of
 * the planner's sight (its tables would escape labelling), sleeps or takes advisory locks
 * (stalling others), writes outside the transaction, signals other sessions, reads server files,
 * or reaches other servers (dblink, the `http` extension).
 */
export const DENIED_FUNCTIONS: readonly string[] = [
  SET_CONFIG,
  'pg_sleep',
  'pg_sleep_for',
  'pg_sleep_until',
  'query_to_xml',
  'query_to_xmlschema',
  'query_to_xml_and_xmlschema',
  'cursor_to_xml',
  'cursor_to_xmlschema',
  'table_to_xml',
  'table_to_xmlschema',
  'table_to_xml_and_xmlschema',
  'schema_to_xml',
  'schema_to_xmlschema',
  'schema_to_xml_and_xmlschema',
  'database_to_xml',
  'database_to_xmlschema',
  'database_to_xml_and_xmlschema',
  'ts_stat',
  'ts_rewrite',
  'pg_advisory_lock',
  'pg_advisory_lock_shared',
  'pg_try_advisory_lock',
  'pg_try_advisory_lock_shared',
  'pg_advisory_xact_lock',
  'pg_advisory_xact_lock_shared',
  'pg_try_advisory_xact_lock',
  'pg_try_advisory_xact_lock_shared',
  'pg_logical_emit_message',
  'pg_notify',
  'pg_cancel_backend',
  'pg_terminate_backend',
  'pg_read_file',
  'pg_read_binary_file',
  'pg_ls_dir',
  'pg_stat_file',
  'lo_import',
  'lo_export',
  'dblink',
  'dblink_exec',
  'dblink_connect',
  'dblink_connect_u',
  'dblink_send_query',
  'http',
  'http_get',
  'http_post',
  'http_put',
  'http_patch',
  'http_delete',
  'http_head',
];

/**
 * Of those, what lets a query escape what Behalf relies on: rewriting its own identity or role
 * (`set_config`) and running SQL text the plan does not show (whose tables would escape
 * labelling) or on another server. `behalf doctor` warns when the query role may execute them,
 * and `workspaceHardeningSql` revokes them; the plan check refuses direct calls meanwhile.
 */
export const ESCAPING_FUNCTIONS: readonly string[] = [
  SET_CONFIG,
  'query_to_xml',
  'query_to_xmlschema',
  'query_to_xml_and_xmlschema',
  'cursor_to_xml',
  'cursor_to_xmlschema',
  'table_to_xml',
  'table_to_xmlschema',
  'table_to_xml_and_xmlschema',
  'schema_to_xml',
  'schema_to_xmlschema',
  'schema_to_xml_and_xmlschema',
  'database_to_xml',
  'database_to_xmlschema',
  'database_to_xml_and_xmlschema',
  'ts_stat',
  'ts_rewrite',
  'dblink',
  'dblink_exec',
  'dblink_connect',
  'dblink_connect_u',
  'dblink_send_query',
];

function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A DO block revoking EXECUTE on every overload of `functions` from PUBLIC, and TEMPORARY on the database. */
function revokeSql(functions: readonly string[], temporary: boolean): string {
  return `DO $$
DECLARE
  fn regprocedure;
BEGIN${temporary ? "\n  EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());" : ''}
  FOR fn IN
    SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
    WHERE p.proname = ANY (ARRAY[${functions.map(quoteLiteral).join(', ')}]::text[])
  LOOP
    EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', fn);
  END LOOP;
END $$;`;
}

/**
 * Applied by Behalf to an embedded (PGlite) source after its setup, at every open (idempotent):
 * the functions above revoked from PUBLIC and no temporary tables. Behalf connects as the
 * embedded superuser, which keeps `set_config`; the query roles lose it.
 */
export const EMBEDDED_HARDENING_SQL = revokeSql(DENIED_FUNCTIONS, true);

/**
 * What the administrator of a PostgreSQL source runs once, as the owner of the catalog functions
 * (a superuser), so the query role cannot rewrite its identity or run SQL text: the
 * `ESCAPING_FUNCTIONS` revoked from PUBLIC (only those: the database's own applications may use
 * the rest), and `set_config` granted back to the logins that set identities (Behalf's, and
 * PostgREST's `authenticator` on a Supabase database). Function privileges are per database.
 */
export function workspaceHardeningSql(logins: readonly string[]): string {
  for (const login of logins) {
    if (!PLAIN_IDENTIFIER.test(login)) throw new Error(`"${login}" is not a plain lower-case role name`);
  }
  const grants = logins
    .map((login) => `GRANT EXECUTE ON FUNCTION pg_catalog.set_config(text, text, boolean) TO ${login};`)
    .join('\n');
  return `${revokeSql(ESCAPING_FUNCTIONS, false)}\n${grants}`.trim();
}
