/** A plain lower-case identifier: interpolated into DDL and DO blocks, so nothing that needs quoting. */
export const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A DO block that creates the roles statements run as (NOLOGIN, no attributes) when missing.
 * Roles belong to the whole server, not one database: on a real PostgreSQL several databases
 * (and test runs) share them, and two may create them at once. So each CREATE tolerates a
 * concurrent twin (the loser waits for the winner's commit, then sees a duplicate), and a role
 * that already exists with more power than a query role may have (SUPERUSER, BYPASSRLS, LOGIN,
 * CREATEROLE, CREATEDB, REPLICATION) is refused rather than used. Privileges are per database
 * and granted by the schema that uses the roles.
 */
export function queryRolesSql(roles: readonly string[]): string {
  for (const role of roles) {
    if (!PLAIN_IDENTIFIER.test(role)) throw new Error(`"${role}" is not a plain lower-case role name`);
  }
  return `
DO $$
DECLARE
  wanted text;
BEGIN
  FOREACH wanted IN ARRAY ARRAY[${roles.map((role) => `'${role}'`).join(', ')}]::text[] LOOP
    BEGIN
      EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', wanted);
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
    IF EXISTS (
      SELECT FROM pg_catalog.pg_roles
      WHERE rolname = wanted
        AND (rolsuper OR rolbypassrls OR rolcanlogin OR rolcreaterole OR rolcreatedb OR rolreplication)
    ) THEN
      RAISE EXCEPTION 'role % already exists with privileges a query role must not have', wanted;
    END IF;
  END LOOP;
END $$;
`;
}
