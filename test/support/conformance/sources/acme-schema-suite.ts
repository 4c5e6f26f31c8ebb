import { describe, expect, it } from 'vitest';
import { findRowSecurityProblems } from '../../../../src/sources/verify-row-security.ts';
import { applySetupOnce, readSetupScripts } from '../../../../src/sources/workspace/source-setup.ts';
import { ACME_WORKSPACE_DIR, acmeSourceSpec } from '../../acme/acme-source.ts';
import { ACME_USERS } from '../../acme/demo.ts';
import { ACME_ROW_SECURITY, ACME_SCHEMA_VERSION } from '../../acme/schema.ts';
import { ACME_COMPENSATION, ACME_DEALS, ACME_EMPLOYEES } from '../../acme/seed-data.ts';
import { type OpenAcme, useAcme } from './acme-fixtures.ts';

/**
 * The Acme database itself on every engine: the seed, the loader (idempotent, versioned,
 * upgrading), the roles and grants the hardening rests on, and the check that refuses a
 * database where they were undone.
 */
export function describeAcmeSchemaSuite(engine: string, open: OpenAcme): void {
  describe(`the Acme database (${engine})`, () => {
    const acme = useAcme(open);

    describe('seed', () => {
      it('holds about 40 employees, the eight demo users with the same ids, names, titles and managers', async () => {
        const { rows } = await acme().admin.query<{
          id: string;
          name: string;
          title: string;
          manager_id: string | null;
        }>('SELECT id, name, title, manager_id FROM employees');
        expect(rows).toHaveLength(40);
        for (const user of ACME_USERS) {
          expect(rows).toContainEqual({ id: user.id, name: user.name, title: user.title, manager_id: user.managerId });
        }
      });

      it('has compensation for everyone and 30 deals, EMEA owned by bob and APAC by gus', async () => {
        const { admin } = acme();
        const compensation = await admin.query('SELECT employee_id FROM compensation');
        expect(compensation.rows).toHaveLength(ACME_EMPLOYEES.length);
        expect(Object.keys(ACME_COMPENSATION).sort()).toEqual(ACME_EMPLOYEES.map((employee) => employee.id).sort());
        const owners = await admin.query<{ region: string; owners: string[]; count: number }>(
          'SELECT region, array_agg(DISTINCT owner_id) AS owners, count(*)::int AS count FROM deals GROUP BY region',
        );
        expect(owners.rows).toHaveLength(3);
        expect(owners.rows.find((row) => row.region === 'emea')?.owners).toEqual(['bob']);
        expect(owners.rows.find((row) => row.region === 'apac')?.owners).toEqual(['gus']);
        expect(ACME_DEALS).toHaveLength(30);
        expect((await admin.query('SELECT id FROM incidents')).rows).toHaveLength(12);
      });
    });

    describe('setup', () => {
      // The workspace path runs examples/acme/sql once per database and records it; the Acme
      // loader's own versions and upgrades went with it (a changed setup is a doctor warning).
      it('is idempotent: a second run finds its record and changes nothing', async () => {
        const spec = await acmeSourceSpec();
        const scripts = await readSetupScripts(spec.setup ?? [], ACME_WORKSPACE_DIR);
        expect(await applySetupOnce(acme().admin, spec.name, scripts)).toBe('present');
        expect((await acme().admin.query('SELECT id FROM employees')).rows).toHaveLength(40);
        expect((await acme().admin.query('SELECT version FROM acme_private.schema_version')).rows).toEqual([
          { version: ACME_SCHEMA_VERSION },
        ]);
      });
    });

    describe('roles and grants', () => {
      it('runs queries as roles that are neither superuser, nor RLS-exempt, nor owners, nor logins', async () => {
        const roles = await acme().admin.query<{
          rolname: string;
          rolsuper: boolean;
          rolbypassrls: boolean;
          rolcanlogin: boolean;
          owns: number;
        }>(
          `SELECT r.rolname, r.rolsuper, r.rolbypassrls, r.rolcanlogin,
                  (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid) AS owns
           FROM pg_roles r WHERE r.rolname IN ('acme_reader', 'acme_writer') ORDER BY r.rolname`,
        );
        expect(roles.rows).toEqual([
          { rolname: 'acme_reader', rolsuper: false, rolbypassrls: false, rolcanlogin: false, owns: 0 },
          { rolname: 'acme_writer', rolsuper: false, rolbypassrls: false, rolcanlogin: false, owns: 0 },
        ]);
      });

      it('enables and forces row-level security on every Acme table', async () => {
        const tables = await acme().admin.query<{ relname: string; on: boolean; forced: boolean }>(
          `SELECT relname, relrowsecurity AS on, relforcerowsecurity AS forced FROM pg_class
           WHERE relname IN ('employees', 'compensation', 'deals', 'incidents', 'tickets') AND relkind = 'r'
           ORDER BY relname`,
        );
        expect(tables.rows).toHaveLength(5);
        for (const table of tables.rows) expect(table).toMatchObject({ on: true, forced: true });
      });

      it('grants set_config to no query role, and no temporary tables', async () => {
        const privileges = await acme().admin.query<{ reader: boolean; writer: boolean; temp: boolean }>(
          `SELECT has_function_privilege('acme_reader', 'set_config(text,text,boolean)', 'EXECUTE') AS reader,
                  has_function_privilege('acme_writer', 'set_config(text,text,boolean)', 'EXECUTE') AS writer,
                  has_database_privilege('acme_reader', current_database(), 'TEMPORARY') AS temp`,
        );
        expect(privileges.rows).toEqual([{ reader: false, writer: false, temp: false }]);
      });
    });

    describe('verification before use', () => {
      it('finds nothing wrong, checked as the source’s own login', async () => {
        expect(await findRowSecurityProblems(acme().source, ACME_ROW_SECURITY)).toEqual([]);
      });

      it('names a revoked function granted back, and row-level security no longer forced', async () => {
        const { admin, source } = acme();
        await admin.exec(`GRANT EXECUTE ON FUNCTION pg_catalog.set_config(text, text, boolean) TO PUBLIC;
          ALTER TABLE deals NO FORCE ROW LEVEL SECURITY;`);
        try {
          const problems = await findRowSecurityProblems(source, ACME_ROW_SECURITY);
          expect(problems).toContain('acme_reader can run set_config');
          expect(problems).toContain('acme_writer can run set_config');
          expect(problems).toContain('table deals does not enable and force row-level security');
        } finally {
          await admin.exec(`REVOKE EXECUTE ON FUNCTION pg_catalog.set_config(text, text, boolean) FROM PUBLIC;
            ALTER TABLE deals FORCE ROW LEVEL SECURITY;`);
        }
        expect(await findRowSecurityProblems(source, ACME_ROW_SECURITY)).toEqual([]);
      });
    });
  });
}
