import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRolesSql } from '../../../src/sources/query-roles.ts';
import { runReadOnlyQuery } from '../../../src/sources/sql-runner.ts';
import { sqlStateOf } from '../../../src/sources/sql-source-error.ts';
import { loginGrantsSql } from '../../../src/sources/workspace/admin-setup.ts';
import {
  openWorkspaceSource,
  WorkspaceSourceError,
  type WorkspaceSqlSource,
} from '../../../src/sources/workspace/open-workspace-source.ts';
import { ACME_WORKSPACE_DIR, acmeSourceSpec } from '../../support/acme/acme-source.ts';
import { acmePrincipal } from '../../support/acme-visibility-oracle.ts';
import { loginUrl, openAdminSession, TEST_LOGIN_ROLE } from '../../support/conformance/sources/acme-fixtures.ts';
import {
  administerTestServer,
  createScratchDatabase,
  requirePostgres,
  type ScratchDatabase,
} from '../../support/postgres.ts';

const postgres = await requirePostgres('Acme on PostgreSQL tests (test/examples/acme/acme-postgres-source.test.ts)');

/** Opens examples/acme's source the way `behalf serve` does, with its two URLs from the environment. */
async function openAcme(url: string, adminUrl?: string): Promise<WorkspaceSqlSource> {
  const { source } = await openWorkspaceSource(await acmeSourceSpec(), {
    dataDir: ACME_WORKSPACE_DIR,
    env: { BEHALF_ACME_SOURCE_URL: url, ...(adminUrl ? { BEHALF_ACME_SOURCE_ADMIN_URL: adminUrl } : {}) },
    workspaceDir: ACME_WORKSPACE_DIR,
    poolSize: 2,
  });
  return source;
}

describe.skipIf(!postgres)('examples/acme on a real PostgreSQL', () => {
  const databases: ScratchDatabase[] = [];
  const scratch = async () => {
    const database = await createScratchDatabase('behalf_acme');
    databases.push(database);
    return database;
  };
  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
  });

  describe('installing through the admin URL', () => {
    it('installs once when several processes open one empty database at the same moment', async () => {
      const database = await scratch();
      const login = await loginUrl(database.url, TEST_LOGIN_ROLE);
      const sources = await Promise.all(Array.from({ length: 4 }, () => openAcme(login, database.url)));
      try {
        const admin = await openAdminSession(database.url);
        const counts = await admin.target.query<{ employees: number; versions: number; setups: number }>(
          `SELECT (SELECT count(*)::int FROM employees) AS employees,
                  (SELECT count(*)::int FROM acme_private.schema_version) AS versions,
                  (SELECT count(*)::int FROM behalf_setup.applied) AS setups`,
        );
        await admin.close();
        expect(counts.rows).toEqual([{ employees: 40, versions: 1, setups: 1 }]);
      } finally {
        await Promise.all(sources.map((source) => source.close()));
      }
    });

    it('installs into several databases of one server at once, sharing the server-wide roles', async () => {
      const databases = await Promise.all([scratch(), scratch(), scratch()]);
      const sources = await Promise.all(
        databases.map(async (database) => openAcme(await loginUrl(database.url, TEST_LOGIN_ROLE), database.url)),
      );
      try {
        for (const source of sources) {
          const result = await runReadOnlyQuery(source, acmePrincipal('bob'), 'SELECT DISTINCT region FROM deals');
          expect(result.rows).toEqual([['emea']]);
        }
      } finally {
        await Promise.all(sources.map((source) => source.close()));
      }
    });

    it('refuses to install into a database that holds another application’s tables', async () => {
      const database = await scratch();
      const admin = await openAdminSession(database.url);
      await admin.target.exec('CREATE TABLE audit_records (seq bigint)');
      await admin.close();
      const error = await openAcme(await loginUrl(database.url, TEST_LOGIN_ROLE), database.url).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(WorkspaceSourceError);
      expect((error as Error).message).toMatch(
        'Acme needs a database of its own, and this one already holds tables (public.audit_records)',
      );
    });

    it('creates a missing query role once when two sessions race to create it', async () => {
      const role = `behalf_race_${randomBytes(4).toString('hex')}`;
      const database = await scratch();
      const first = await openAdminSession(database.url);
      const second = await openAdminSession(database.url);
      try {
        await first.target.exec(`BEGIN; ${queryRolesSql([role])}`);
        // Blocks on the first session's uncommitted role until it commits, then finds a twin.
        const racing = second.target.exec(`BEGIN; ${queryRolesSql([role])}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        await first.target.exec('COMMIT');
        await racing;
        await second.target.exec('COMMIT');
        const { rows } = await first.target.query('SELECT rolname FROM pg_roles WHERE rolname = $1', [role]);
        expect(rows).toHaveLength(1);
      } finally {
        await first.close();
        await second.close();
        await administerTestServer(`DROP ROLE IF EXISTS ${role}`);
      }
    });

    it('refuses an existing role of that name that can log in', async () => {
      const role = `behalf_login_${randomBytes(4).toString('hex')}`;
      await administerTestServer(`CREATE ROLE ${role} LOGIN`);
      const database = await scratch();
      const admin = await openAdminSession(database.url);
      try {
        await expect(admin.target.exec(queryRolesSql([role]))).rejects.toThrow(
          `role ${role} already exists with privileges a query role must not have`,
        );
      } finally {
        await admin.close();
        await administerTestServer(`DROP ROLE IF EXISTS ${role}`);
      }
    });
  });

  // The decision (docs/decisions/0004): production connects as a dedicated NOINHERIT login that
  // is a member of the query roles, never as a superuser. These tests hold it to that.
  describe(`connecting as the non-superuser login ${TEST_LOGIN_ROLE}`, () => {
    let database: ScratchDatabase;
    let source: WorkspaceSqlSource;
    beforeAll(async () => {
      database = await scratch();
      source = await openAcme(await loginUrl(database.url, TEST_LOGIN_ROLE), database.url);
    });
    afterAll(async () => {
      await source?.close();
    });

    it('is neither a superuser nor RLS-exempt, and inherits nothing from the query roles', async () => {
      const { rows } = await source.query(
        `SELECT current_user::text AS login, rolsuper, rolbypassrls, rolinherit FROM pg_roles WHERE rolname = current_user`,
      );
      expect(rows).toEqual([{ login: TEST_LOGIN_ROLE, rolsuper: false, rolbypassrls: false, rolinherit: false }]);
    });

    it('reads no data as itself: only as a query role acting for someone', async () => {
      for (const table of ['compensation', 'deals', 'employees', 'tickets']) {
        const error = await source.query(`SELECT * FROM public.${table}`).catch((caught: unknown) => caught);
        expect(sqlStateOf(error), table).toBe('42501');
      }
    });

    it('can switch to the query roles only, not to a superuser', async () => {
      const switchTo = (role: string) =>
        source
          .transaction((tx) => tx.query(`SET LOCAL ROLE ${role}`), { readOnly: true })
          .then(() => 'switched')
          .catch((caught: unknown) => sqlStateOf(caught));
      expect(await switchTo('acme_reader')).toBe('switched');
      expect(await switchTo('acme_writer')).toBe('switched');
      expect(await switchTo('postgres')).toBe('42501');
    });

    it('still serves each person only their rows', async () => {
      const result = await runReadOnlyQuery(source, acmePrincipal('erin'), 'SELECT employee_id FROM compensation');
      expect(result.rows.map((row) => row[0]).sort()).toEqual(['bob', 'erin', 'gus']);
    });

    it('cannot install Acme itself: without an admin URL an empty database opens with what is missing', async () => {
      const empty = await scratch();
      const opened = await openAcme(await loginUrl(empty.url, TEST_LOGIN_ROLE));
      try {
        const messages = opened.findings.map((finding) => finding.message);
        expect(messages).toContain(
          'source acme: setup runs on embedded (pglite:) sources only, or through adminUrl, so sql/schema.sql, sql/seed.sql did not run on this PostgreSQL',
        );
        expect(messages).toContain('source acme: table employees (tables:) does not exist');
      } finally {
        await opened.close();
      }
    });

    it('refuses a superuser URL as the source’s own login', async () => {
      const error = await openAcme(database.url).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(WorkspaceSourceError);
      expect((error as Error).message).toMatch(/superuser/);
    });

    it('refuses a login role name that would need quoting or is a query role', () => {
      expect(() => loginGrantsSql('Behalf"; DROP', ['acme_reader'])).toThrow(/cannot be a source's login role/);
      expect(() => loginGrantsSql('acme_reader', ['acme_reader', 'acme_writer'])).toThrow(
        /cannot be a source's login role/,
      );
    });
  });

  describe('hardening undone after the install', () => {
    it('is reported when a query role may call set_config again', async () => {
      const database = await scratch();
      const login = await loginUrl(database.url, TEST_LOGIN_ROLE);
      await openAcme(login, database.url).then((installed) => installed.close());
      const admin = await openAdminSession(database.url);
      await admin.target.exec('GRANT EXECUTE ON FUNCTION pg_catalog.set_config(text, text, boolean) TO PUBLIC');
      await admin.close();
      const source = await openAcme(login, database.url);
      try {
        expect(source.findings.map((finding) => finding.message).join('\n')).toMatch(/acme_reader.*set_config/);
      } finally {
        await source.close();
      }
    });
  });
});
