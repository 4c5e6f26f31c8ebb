-- The Acme demo schema: roles, tables, row-level security policies and their descriptions, and
-- hardening. Run once on an empty database (the workspace's `setup`). Generated from
-- test/support/acme/schema.ts; regenerate with: BEHALF_WRITE_ACME_SQL=1 npx vitest run test/sources/workspace/acme-workspace-source.test.ts
DO $$
DECLARE
  found text;
BEGIN
  SELECT string_agg(name, ', ') INTO found FROM (
    SELECT n.nspname || '.' || c.relname AS name
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm')
      AND n.nspname NOT IN ('information_schema', 'behalf_setup') AND n.nspname !~ '^pg_'
    ORDER BY 1 LIMIT 5
  ) AS other;
  IF found IS NOT NULL THEN
    RAISE EXCEPTION 'Acme needs a database of its own, and this one already holds tables (%)', found;
  END IF;
END $$;

DO $$
DECLARE
  wanted text;
BEGIN
  FOREACH wanted IN ARRAY ARRAY['acme_reader', 'acme_writer']::text[] LOOP
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

CREATE SCHEMA acme_private;
CREATE TABLE acme_private.schema_version (version integer NOT NULL);

CREATE TABLE employees (
  id text PRIMARY KEY,
  name text NOT NULL,
  title text NOT NULL,
  department text NOT NULL,
  manager_id text REFERENCES employees (id),
  location text NOT NULL
);
CREATE INDEX employees_manager_id ON employees (manager_id);

CREATE TABLE compensation (
  employee_id text PRIMARY KEY REFERENCES employees (id),
  salary integer NOT NULL,
  bonus integer NOT NULL
);

CREATE TABLE deals (
  id text PRIMARY KEY,
  account text NOT NULL,
  region text NOT NULL CHECK (region IN ('emea', 'apac', 'amer')),
  amount integer NOT NULL,
  stage text NOT NULL,
  owner_id text NOT NULL REFERENCES employees (id)
);

CREATE TABLE incidents (
  id text PRIMARY KEY,
  title text NOT NULL,
  severity text NOT NULL,
  service text NOT NULL,
  status text NOT NULL,
  opened_at timestamptz NOT NULL
);

-- reporter_id is not a foreign key: in self-authorized mode the agent (agent:<thread>) reports.
CREATE TABLE tickets (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  body text NOT NULL CHECK (length(body) <= 10000),
  severity text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  reporter_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION acme_private.user_id() RETURNS text LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT NULLIF(pg_catalog.current_setting('acme.user_id', true), '');
END;

CREATE FUNCTION acme_private.groups() RETURNS text[] LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT pg_catalog.string_to_array(NULLIF(pg_catalog.current_setting('acme.groups', true), ''), ',');
END;

CREATE FUNCTION acme_private.in_any_group(VARIADIC wanted text[]) RETURNS boolean LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT COALESCE(acme_private.groups() && wanted, false);
END;

CREATE FUNCTION acme_private.in_all_groups(VARIADIC wanted text[]) RETURNS boolean LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT COALESCE(acme_private.groups() @> wanted, false);
END;

-- Everyone below the acting user in the management chain. UNION (not UNION ALL) ends the
-- recursion even if the data ever held a cycle. Policies call it as a scalar subquery, so it runs
-- once per statement rather than once per row.
CREATE FUNCTION acme_private.managed_ids() RETURNS text[] LANGUAGE sql STABLE
BEGIN ATOMIC
  WITH RECURSIVE below (id) AS (
    SELECT e.id FROM public.employees e WHERE e.manager_id = acme_private.user_id()
    UNION
    SELECT e.id FROM public.employees e JOIN below b ON e.manager_id = b.id
  )
  SELECT COALESCE(array_agg(below.id), '{}') FROM below;
END;

ALTER TABLE employees ENABLE ROW LEVEL SECURITY;
ALTER TABLE employees FORCE ROW LEVEL SECURITY;
ALTER TABLE compensation ENABLE ROW LEVEL SECURITY;
ALTER TABLE compensation FORCE ROW LEVEL SECURITY;
ALTER TABLE deals ENABLE ROW LEVEL SECURITY;
ALTER TABLE deals FORCE ROW LEVEL SECURITY;
ALTER TABLE incidents ENABLE ROW LEVEL SECURITY;
ALTER TABLE incidents FORCE ROW LEVEL SECURITY;
ALTER TABLE tickets ENABLE ROW LEVEL SECURITY;
ALTER TABLE tickets FORCE ROW LEVEL SECURITY;

CREATE POLICY employees_directory ON employees FOR SELECT TO acme_reader USING (true);

CREATE POLICY compensation_visibility ON compensation FOR SELECT TO acme_reader
  USING (
    acme_private.in_any_group('hr', 'finance')
    OR employee_id = acme_private.user_id()
    OR employee_id = ANY ((SELECT acme_private.managed_ids())::text[])
  );

CREATE POLICY deals_visibility ON deals FOR SELECT TO acme_reader
  USING (
    acme_private.in_any_group('finance', 'execs', 'sales-' || region)
    OR acme_private.in_all_groups('sales', 'managers')
  );

CREATE POLICY incidents_visibility ON incidents FOR SELECT TO acme_reader
  USING (acme_private.in_any_group('engineering', 'execs'));

CREATE POLICY tickets_visibility ON tickets FOR SELECT TO acme_reader, acme_writer
  USING (reporter_id = acme_private.user_id() OR acme_private.in_any_group('engineering', 'execs'));

CREATE POLICY tickets_report ON tickets FOR INSERT TO acme_writer
  WITH CHECK (reporter_id = acme_private.user_id());

GRANT USAGE ON SCHEMA public, acme_private TO acme_reader, acme_writer;
GRANT SELECT ON employees, compensation, deals, incidents, tickets TO acme_reader;
GRANT SELECT, INSERT (title, body, severity, reporter_id) ON tickets TO acme_writer;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA acme_private FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA acme_private TO acme_reader, acme_writer;


COMMENT ON POLICY compensation_visibility ON compensation IS
  'hr and finance see every row; anyone else sees only their own and those of the people they manage, directly or not';
COMMENT ON POLICY deals_visibility ON deals IS
  'sales reps see their own region; sales managers, execs and finance see every region';
COMMENT ON POLICY incidents_visibility ON incidents IS 'only engineering and execs see incidents';
COMMENT ON POLICY tickets_visibility ON tickets IS
  'the reporter sees their own tickets; engineering and execs see every ticket';


REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO acme_reader, acme_writer;
DO $$
DECLARE
  fn regprocedure;
BEGIN
  EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
  FOR fn IN
    SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
    WHERE p.proname = ANY (ARRAY['set_config', 'pg_sleep', 'pg_sleep_for', 'pg_sleep_until', 'query_to_xml', 'query_to_xmlschema', 'query_to_xml_and_xmlschema', 'cursor_to_xml', 'cursor_to_xmlschema', 'table_to_xml', 'table_to_xmlschema', 'table_to_xml_and_xmlschema', 'schema_to_xml', 'schema_to_xmlschema', 'schema_to_xml_and_xmlschema', 'database_to_xml', 'database_to_xmlschema', 'database_to_xml_and_xmlschema', 'ts_stat', 'ts_rewrite', 'pg_advisory_lock', 'pg_advisory_lock_shared', 'pg_try_advisory_lock', 'pg_try_advisory_lock_shared', 'pg_advisory_xact_lock', 'pg_advisory_xact_lock_shared', 'pg_try_advisory_xact_lock', 'pg_try_advisory_xact_lock_shared', 'pg_logical_emit_message', 'dblink', 'dblink_exec', 'dblink_connect'])
  LOOP
    EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', fn);
  END LOOP;
END $$;

INSERT INTO acme_private.schema_version (version) VALUES (4);
