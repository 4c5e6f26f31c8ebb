import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmePrincipal } from '../../../test/support/acme-visibility-oracle.ts';
import {
  loginUrl,
  openAdminSession,
  TEST_LOGIN_ROLE,
} from '../../../test/support/conformance/sources/acme-fixtures.ts';
import {
  administerTestServer,
  createScratchDatabase,
  requirePostgres,
  type ScratchDatabase,
} from '../../../test/support/postgres.ts';
import { queryRolesSql } from '../query-roles.ts';
import { runReadOnlyQuery } from '../sql-runner.ts';
import { sqlStateOf } from '../sql-source-error.ts';
import { type AcmePostgresSource, createAcmePostgresSource } from './acme-postgres-source.ts';
import { acmeLoginGrantsSql } from './login-role.ts';
import { ACME_SCHEMA_VERSION } from './schema.ts';

const postgres = await requirePostgres('Acme on PostgreSQL tests (src/sources/acme/acme-postgres-source.test.ts)');

describe.skipIf(!postgres)('Acme on a real PostgreSQL', () => {
  const databases: ScratchDatabase[] = [];
  const scratch = async () => {
    const database = await createScratchDatabase('behalf_acme');
    databases.push(database);
    return database;
  };
  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
  });

  describe('installing', () => {
    it('installs once when several processes open one empty database at the same moment', async () => {
      const database = await scratch();
      const sources = await Promise.all(
        Array.from({ length: 4 }, () => createAcmePostgresSource({ connectionString: database.url, poolSize: 1 })),
      );
      try {
        const counts = await sources[0]?.query<{ employees: number; versions: number }>(
          `SELECT (SELECT count(*) FROM employees) AS employees,
                  (SELECT count(*) FROM acme_private.schema_version) AS versions`,
        );
        expect(counts?.rows).toEqual([{ employees: 40, versions: 1 }]);
      } finally {
        await Promise.all(sources.map((source) => source.close()));
      }
    });

    it('installs into several databases of one server at once, sharing the server-wide roles', async () => {
      const urls = await Promise.all([scratch(), scratch(), scratch()]).then((list) => list.map((db) => db.url));
      const sources = await Promise.all(urls.map((url) => createAcmePostgresSource({ connectionString: url })));
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
      await expect(createAcmePostgresSource({ connectionString: database.url })).rejects.toThrow(
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
    let source: AcmePostgresSource;
    beforeAll(async () => {
      database = await scratch();
      source = await createAcmePostgresSource({
        connectionString: await loginUrl(database.url, TEST_LOGIN_ROLE),
        adminConnectionString: database.url,
      });
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

    it('cannot install Acme itself: opening an empty database without an admin connection says so', async () => {
      const empty = await scratch();
      const error = await createAcmePostgresSource({
        connectionString: await loginUrl(empty.url, TEST_LOGIN_ROLE),
      }).catch((caught: unknown) => caught);
      expect((error as Error).message).toMatch(
        new RegExp(`Acme \\(schema version ${ACME_SCHEMA_VERSION}\\) is not installed in database "${empty.name}"`),
      );
      expect((error as Error).message).toMatch(/open it once with a superuser admin connection/);
    });

    it('refuses a database installed without grants for it, rather than failing on the first query', async () => {
      const other = await scratch();
      await createAcmePostgresSource({ connectionString: other.url }).then((installed) => installed.close());
      const error = await createAcmePostgresSource({
        connectionString: await loginUrl(other.url, TEST_LOGIN_ROLE),
      }).catch((caught: unknown) => caught);
      expect((error as Error).message).toMatch(
        new RegExp(`^Acme is installed in database "${other.name}" but ${TEST_LOGIN_ROLE} was not granted access`),
      );
    });

    it('refuses a login role name that would need quoting or is a query role', () => {
      expect(() => acmeLoginGrantsSql('Behalf"; DROP')).toThrow(/cannot be an Acme login role/);
      expect(() => acmeLoginGrantsSql('acme_reader')).toThrow(/cannot be an Acme login role/);
    });
  });

  describe('connecting as a superuser', () => {
    it('refuses a database whose hardening someone undid', async () => {
      const database = await scratch();
      await createAcmePostgresSource({ connectionString: database.url }).then((installed) => installed.close());
      const admin = await openAdminSession(database.url);
      await admin.target.exec('GRANT EXECUTE ON FUNCTION pg_catalog.set_config(text, text, boolean) TO PUBLIC');
      await admin.close();
      await expect(createAcmePostgresSource({ connectionString: database.url })).rejects.toThrow(
        /not safe for model-written SQL: .*acme_reader can run set_config/,
      );
    });
  });
});
