import type { SqlAccessProfile, SqlExecutor } from './types.ts';

/** What must hold in a database before model-written SQL may run in it. */
export interface RowSecurityExpectations {
  access: SqlAccessProfile;
  /** Tables that must have row-level security enabled and forced (`public` tables, bare names). */
  tables: readonly string[];
  /** Functions (every overload) the query roles must not be able to execute. */
  revokedFunctions: readonly string[];
}

type RoleRow = {
  rolname: string;
  powerful: boolean;
  member_of_any: boolean;
  owns: boolean;
  temporary: boolean;
  create_schema: boolean;
  create_in_public: boolean;
  switchable: boolean;
};

/**
 * Checks, from the catalogs and as the connection's own login, that the hardening a source relies
 * on is in place: query roles without power (superuser, BYPASSRLS, LOGIN...), members of no other
 * role, owning nothing, unable to create objects or to run the revoked functions; every table
 * under forced row-level security; and a login that can switch to the query roles and set the
 * identity before it does. Returns what is wrong, empty when nothing is. On a real server this
 * catches a database hardened by someone without the right to (a REVOKE on a catalog function
 * by a non-owner only warns) or a role someone else created with more power.
 */
export async function findRowSecurityProblems(
  executor: SqlExecutor,
  expected: RowSecurityExpectations,
): Promise<string[]> {
  const problems: string[] = [];
  const roleNames = [expected.access.readerRole, expected.access.writerRole].filter(
    (role): role is string => role !== undefined,
  );
  const roles = await executor.query<RoleRow>(
    `SELECT r.rolname,
            r.rolsuper OR r.rolbypassrls OR r.rolcanlogin OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication
              AS powerful,
            EXISTS (SELECT FROM pg_catalog.pg_auth_members m WHERE m.member = r.oid) AS member_of_any,
            EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.relowner = r.oid) AS owns,
            pg_catalog.has_database_privilege(r.oid, pg_catalog.current_database(), 'TEMPORARY') AS temporary,
            pg_catalog.has_database_privilege(r.oid, pg_catalog.current_database(), 'CREATE') AS create_schema,
            pg_catalog.has_schema_privilege(r.oid, 'public', 'CREATE') AS create_in_public,
            pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER') AS switchable
     FROM pg_catalog.pg_roles r WHERE r.rolname = ANY ($1::text[])`,
    [roleNames],
  );
  for (const name of roleNames) {
    const role = roles.rows.find((row) => row.rolname === name);
    if (!role) {
      problems.push(`role ${name} does not exist`);
      continue;
    }
    if (role.powerful) problems.push(`role ${name} has SUPERUSER, BYPASSRLS, LOGIN or another attribute`);
    if (role.member_of_any) problems.push(`role ${name} is a member of another role`);
    if (role.owns) problems.push(`role ${name} owns tables or other relations`);
    if (role.temporary || role.create_schema || role.create_in_public) problems.push(`role ${name} can create objects`);
    if (!role.switchable) problems.push(`the login role is not a member of ${name}, so it cannot act as it`);
  }
  const executable = await executor.query<{ name: string }>(
    `SELECT DISTINCT r.rolname || ' can run ' || p.proname AS name
     FROM pg_catalog.pg_proc p CROSS JOIN pg_catalog.pg_roles r
     WHERE p.proname = ANY ($1::text[]) AND r.rolname = ANY ($2::text[])
       AND pg_catalog.has_function_privilege(r.oid, p.oid, 'EXECUTE')
     ORDER BY 1`,
    [[...expected.revokedFunctions], roleNames],
  );
  for (const row of executable.rows) problems.push(row.name);
  const setsIdentity = await executor.query<{ allowed: boolean }>(
    `SELECT pg_catalog.has_function_privilege(session_user, 'pg_catalog.set_config(text,text,boolean)', 'EXECUTE')
       AS allowed`,
  );
  if (!setsIdentity.rows[0]?.allowed) problems.push('the login role cannot call set_config to set the identity');
  const tables = await executor.query<{ relname: string; secured: boolean }>(
    `SELECT c.relname, c.relrowsecurity AND c.relforcerowsecurity AS secured
     FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname = ANY ($1::text[])`,
    [[...expected.tables]],
  );
  for (const table of expected.tables) {
    const row = tables.rows.find((candidate) => candidate.relname === table);
    if (!row) problems.push(`table ${table} does not exist`);
    else if (!row.secured) problems.push(`table ${table} does not enable and force row-level security`);
  }
  return problems;
}

/** `findRowSecurityProblems`, failing closed: throws naming every problem. */
export async function assertRowSecurity(executor: SqlExecutor, expected: RowSecurityExpectations): Promise<void> {
  const problems = await findRowSecurityProblems(executor, expected);
  if (problems.length > 0) {
    throw new Error(`the data source is not safe for model-written SQL: ${problems.join('; ')}`);
  }
}
