import { Client, escapeIdentifier } from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { pgliteCompatibleTypes } from '../../../../src/sources/postgres-types.ts';
import { toSqlSourceError } from '../../../../src/sources/sql-source-error.ts';
import type { SqlDataSource, SqlSetupTarget } from '../../../../src/sources/types.ts';
import { openWorkspaceSource } from '../../../../src/sources/workspace/open-workspace-source.ts';
import {
  ACME_WORKSPACE_DIR,
  type AcmeSourceTemplate,
  acmeSourceSpec,
  acmeSourceTemplate,
} from '../../acme/acme-source.ts';
import { administerTestServer, createScratchDatabase, requirePostgres } from '../../postgres.ts';

/** One seeded Acme database as the shared suites see it, whatever the engine. */
export interface AcmeUnderTest {
  /** What the query runner uses, connected as `login`. */
  source: SqlDataSource;
  /** A superuser session on the same database, for setup and checks behind the runner's back. */
  admin: SqlSetupTarget;
  /** The role the source connects as: `current_user` outside a query. */
  login: string;
  close(): Promise<void>;
}

/** Opens a fresh, independent, seeded Acme source; the suites close it. */
export type OpenAcme = () => Promise<AcmeUnderTest>;

/** A suite that runs against any Acme source. */
export type AcmeSuite = (engine: string, open: OpenAcme) => void;

/** The non-superuser login the PostgreSQL runs connect as, the way production should. */
export const TEST_LOGIN_ROLE = 'behalf_app';

/**
 * The source for one `describe` block: opened before its tests, closed after. Returns a getter,
 * since the source exists only once `beforeAll` has run.
 */
export function useAcme(open: OpenAcme): () => AcmeUnderTest {
  let current: AcmeUnderTest | undefined;
  beforeAll(async () => {
    current = await open();
  });
  afterAll(async () => {
    await current?.close();
  });
  return () => {
    if (!current) throw new Error('the Acme source is not open yet');
    return current;
  };
}

/** PGlite clones of the cached seeded template (~0.7 s each), as before the suites were shared. */
export function pgliteAcme(): OpenAcme {
  let template: Promise<AcmeSourceTemplate> | undefined;
  return async () => {
    template ??= acmeSourceTemplate();
    const source = await (await template).clone();
    return { source, admin: source, login: 'postgres', close: () => source.close() };
  };
}

/**
 * Acme on the PostgreSQL test server, in a scratch database of its own that `close` drops, opened
 * as `behalf serve` opens it (`examples/acme/behalf.yaml`): connected as the non-superuser
 * NOINHERIT login `behalf_app`, the setup run through a superuser admin URL that also lets the
 * login switch to the query roles. A superuser login is refused by the workspace path, so there is
 * no such variant any more.
 */
export function postgresAcme(): OpenAcme {
  return async () => {
    const database = await createScratchDatabase('behalf_acme');
    try {
      const spec = await acmeSourceSpec();
      const { source } = await openWorkspaceSource(spec, {
        dataDir: ACME_WORKSPACE_DIR,
        env: {
          BEHALF_ACME_SOURCE_URL: await loginUrl(database.url, TEST_LOGIN_ROLE),
          BEHALF_ACME_SOURCE_ADMIN_URL: database.url,
        },
        workspaceDir: ACME_WORKSPACE_DIR,
        poolSize: 4,
      });
      const admin = await openAdminSession(database.url);
      return {
        source,
        admin: admin.target,
        login: TEST_LOGIN_ROLE,
        async close() {
          await source.close();
          await admin.close();
          await database.drop();
        },
      };
    } catch (error) {
      await database.drop();
      throw error;
    }
  };
}

/**
 * Registers `suite` on every engine: PGlite always; PostgreSQL as `behalf_app`
 * when the test server answers (skipped with a visible notice otherwise, failing the file with
 * `BEHALF_REQUIRE_SERVICES=1`). Call with top-level await.
 */
export async function describeOnEveryAcmeSource(title: string, suite: AcmeSuite): Promise<void> {
  const postgres = await requirePostgres(`PostgreSQL runs of ${title}`);
  suite('PGlite', pgliteAcme());
  describe.skipIf(!postgres)('PostgreSQL', () => {
    suite(`PostgreSQL as ${TEST_LOGIN_ROLE}`, postgresAcme());
  });
}

/**
 * Creates the test login role if missing: LOGIN, NOINHERIT, nothing else. Roles are server-wide
 * and test files run in parallel, so a concurrent twin's CREATE is tolerated.
 */
export async function ensureLoginRole(role: string): Promise<void> {
  await administerTestServer(`DO $$ BEGIN
    CREATE ROLE ${escapeIdentifier(role)} LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END $$`);
}

/** `url` with another user (trust authentication on the test server: no password). */
export async function loginUrl(url: string, role: string): Promise<string> {
  await ensureLoginRole(role);
  const parsed = new URL(url);
  parsed.username = role;
  parsed.password = '';
  return parsed.toString();
}

/** One superuser session on `url`, as a setup target (statements and scripts). */
export async function openAdminSession(url: string): Promise<{ target: SqlSetupTarget; close(): Promise<void> }> {
  const client = new Client({ connectionString: url, types: pgliteCompatibleTypes() });
  client.on('error', () => {});
  await client.connect();
  const target: SqlSetupTarget = {
    async query<Row>(text: string, params: readonly unknown[] = []) {
      try {
        const result = await client.query(text, [...params]);
        return { rows: result.rows as Row[], fields: result.fields.map((field) => ({ name: field.name })) };
      } catch (error) {
        throw toSqlSourceError(error);
      }
    },
    async exec(script: string) {
      try {
        await client.query(script);
      } catch (error) {
        throw toSqlSourceError(error);
      }
    },
  };
  return { target, close: () => client.end() };
}
