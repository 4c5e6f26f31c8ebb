import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, escapeIdentifier } from 'pg';
import { compilePgliteWasm } from '../../../src/sources/pglite-engine.ts';
import { pgliteCompatibleTypes } from '../../../src/sources/postgres-types.ts';
import { toSqlSourceError } from '../../../src/sources/sql-source-error.ts';
import type { SourcePerson, SqlExecutor, SqlQueryOptions, SqlRows } from '../../../src/sources/types.ts';
import { workspaceHardeningSql } from '../../../src/sources/workspace/hardening.ts';
import {
  type OpenWorkspaceSourceOptions,
  openWorkspaceSource,
  type WorkspaceSqlSource,
} from '../../../src/sources/workspace/open-workspace-source.ts';
import type { SourceSpec } from '../../../src/workspace/workspace-config.ts';
import { loginUrl } from '../../support/conformance/sources/acme-fixtures.ts';
import { administerTestServer, createScratchDatabase, type ScratchDatabase } from '../../support/postgres.ts';

/** This folder: the workspace directory of the fixtures (setup files are relative to it). */
export const FIXTURE_DIR = fileURLToPath(new URL('.', import.meta.url));
export const FIXTURE_SQL = 'supabase-fixture.sql';

/** The login the PostgreSQL runs connect as: no superuser, no BYPASSRLS, may SET ROLE authenticated. */
export const CLINIC_LOGIN = 'behalf_ws_agent';

/** The clinic's people, as the workspace directory would give them. */
export const CLINIC_PEOPLE = {
  ana: {
    id: 'ana',
    name: 'Ana Ruiz',
    email: 'ana@clinic.example',
    groups: ['doctors', 'ward-w3'],
    attributes: { uid: '11111111-1111-4111-8111-111111111111' },
  },
  ben: {
    id: 'ben',
    name: 'Ben Okafor',
    email: 'ben@clinic.example',
    groups: ['nurses', 'ward-w4'],
    attributes: { uid: '22222222-2222-4222-8222-222222222222' },
  },
  cleo: {
    id: 'cleo',
    name: 'Cleo Park',
    email: 'cleo@clinic.example',
    groups: ['doctors', 'chiefs'],
    attributes: { uid: '33333333-3333-4333-8333-333333333333' },
  },
  eve: {
    id: 'eve',
    name: 'Eve Laine',
    email: 'eve@clinic.example',
    groups: ['nurses'],
    attributes: { uid: '55555555-5555-4555-8555-555555555555' },
  },
  /** No `uid`: the claims cannot be filled. */
  dan: { id: 'dan', name: 'Dan Holt', email: 'dan@clinic.example', groups: ['doctors'], attributes: {} },
  /** No email. */
  fay: { id: 'fay', name: 'Fay Noor', groups: ['nurses'], attributes: { uid: '66666666-6666-4666-8666-666666666666' } },
} satisfies Record<string, SourcePerson>;

export type ClinicPerson = keyof typeof CLINIC_PEOPLE;

/** The clinic source as behalf.yaml declares it. */
export function clinicSpec(url: string, changes: Partial<SourceSpec> = {}): SourceSpec {
  return {
    name: 'clinic',
    description: 'Wards, patients, notes and rosters',
    url,
    setup: [FIXTURE_SQL],
    identity: {
      convention: 'postgrest',
      role: 'authenticated',
      claims: {
        sub: '{{user.attributes.uid}}',
        email: '{{user.email}}',
        role: 'authenticated',
        groups: '{{user.groups}}',
      },
    },
    tables: {
      'public.wards': { labels: ['public'] },
      'public.patients': { labels: ['patient-record', 'ward:{ward}'], columns: { ssn: ['pii'] } },
      'public.notes': { labels: ['patient-record'] },
      'public.rosters': { labels: ['ward:{ward}'] },
    },
    ...changes,
  };
}

/**
 * The JWT claims PostgREST would put in `request.jwt.claims` for `person`, written out by hand:
 * the oracle's identity, independent of the templating under test.
 */
export function handWrittenClaims(person: ClinicPerson): string {
  const { attributes, email, groups } = CLINIC_PEOPLE[person] as SourcePerson;
  return JSON.stringify({ sub: attributes?.uid, email, role: 'authenticated', groups });
}

/** One clinic database with the source opened on it, whatever the engine. */
export interface ClinicUnderTest {
  engine: 'PGlite' | 'PostgreSQL';
  source: WorkspaceSqlSource;
  /** A superuser session on the same database, outside the source's roles: one statement per call. */
  admin: SqlExecutor;
  /** Opens the same database again with another declaration (PostgreSQL only: PGlite is one process's). */
  options: OpenWorkspaceSourceOptions;
  /** The url the source was opened with. */
  url: string;
  /** Runs `sql` as the oracle does: a transaction as `authenticated` with hand-written claims. */
  direct(person: ClinicPerson, sql: string): Promise<unknown[][]>;
  close(): Promise<void>;
}

async function directOn(
  transaction: <T>(fn: (tx: SqlExecutor) => Promise<T>) => Promise<T>,
  person: ClinicPerson,
  sql: string,
): Promise<unknown[][]> {
  return transaction(async (tx) => {
    await tx.query(`SELECT set_config('request.jwt.claims', $1, true)`, [handWrittenClaims(person)]);
    await tx.query('SET LOCAL ROLE authenticated');
    const { rows } = await tx.query<unknown[]>(sql, [], { rowMode: 'array' });
    return rows;
  });
}

/** The clinic on an embedded PGlite in a temporary data directory, set up by the source itself. */
export async function openClinicOnPglite(): Promise<ClinicUnderTest> {
  const dataDir = await mkdtemp(join(tmpdir(), 'behalf-clinic-'));
  const options: OpenWorkspaceSourceOptions = {
    dataDir,
    env: {},
    workspaceDir: FIXTURE_DIR,
    wasmModule: await compilePgliteWasm(),
  };
  const url = 'pglite:clinic-pg';
  try {
    const { source } = await openWorkspaceSource(clinicSpec(url), options);
    return {
      engine: 'PGlite',
      source,
      // The embedded superuser, through the source itself (outside any transaction or role).
      admin: { query: source.query.bind(source) },
      options,
      url,
      direct: (person, sql) => directOn((fn) => source.transaction(fn, { readOnly: true }), person, sql),
      async close() {
        await source.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** A superuser connection as a `SqlExecutor` with scripts, values read as PGlite's. */
export async function adminClient(
  url: string,
): Promise<SqlExecutor & { exec(script: string): Promise<void>; end(): Promise<void> }> {
  const client = new Client({ connectionString: url, types: pgliteCompatibleTypes() });
  client.on('error', () => {});
  await client.connect();
  const query = async <Row>(text: string, params: readonly unknown[] = [], options: SqlQueryOptions = {}) => {
    try {
      const result = await client.query({
        text,
        values: [...params],
        ...(options.rowMode === 'array' ? { rowMode: 'array' } : {}),
      } as { text: string; values: unknown[] });
      return {
        rows: result.rows as Row[],
        fields: result.fields.map((field) => ({ name: field.name })),
      } as SqlRows<Row>;
    } catch (error) {
      throw toSqlSourceError(error);
    }
  };
  return {
    query,
    async exec(script: string) {
      try {
        await client.query(script);
      } catch (error) {
        throw toSqlSourceError(error);
      }
    },
    end: () => client.end(),
  };
}

/**
 * Makes `role` a member of `authenticated`-like query roles: GRANT tolerating a concurrent twin
 * (memberships are cluster-wide and test files run in parallel).
 */
export async function grantRoleTo(role: string, member: string): Promise<void> {
  await administerTestServer(`DO $$ BEGIN
    GRANT ${escapeIdentifier(role)} TO ${escapeIdentifier(member)};
  EXCEPTION WHEN unique_violation OR duplicate_object THEN NULL;
  END $$`);
}

/**
 * The clinic on the PostgreSQL test server: a scratch database loaded with the fixture by a
 * superuser (a `postgres://` source runs no setup), hardened as `workspaceHardeningSql` says,
 * and the source connected as the non-superuser login `behalf_ws_agent`.
 */
export async function openClinicOnPostgres(options: { harden?: boolean } = {}): Promise<ClinicUnderTest> {
  const database: ScratchDatabase = await createScratchDatabase('behalf_clinic');
  let admin: Awaited<ReturnType<typeof adminClient>> | undefined;
  try {
    admin = await adminClient(database.url);
    await admin.exec(await readFile(join(FIXTURE_DIR, FIXTURE_SQL), 'utf8'));
    const url = await loginUrl(database.url, CLINIC_LOGIN);
    await grantRoleTo('authenticated', CLINIC_LOGIN);
    if (options.harden !== false) await admin.exec(workspaceHardeningSql([CLINIC_LOGIN]));
    const openOptions: OpenWorkspaceSourceOptions = {
      dataDir: tmpdir(),
      env: {},
      workspaceDir: FIXTURE_DIR,
      poolSize: 4,
    };
    const { setup: _ignored, ...spec } = clinicSpec(url);
    const { source } = await openWorkspaceSource(spec, openOptions);
    const adminSession = admin;
    return {
      engine: 'PostgreSQL',
      source,
      admin: adminSession,
      options: openOptions,
      url,
      direct: (person, sql) =>
        directOn(
          async (fn) => {
            await adminSession.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
            try {
              return await fn(adminSession);
            } finally {
              await adminSession.exec('ROLLBACK');
            }
          },
          person,
          sql,
        ),
      async close() {
        await source.close();
        await adminSession.end();
        await database.drop();
      },
    };
  } catch (error) {
    await admin?.end().catch(() => undefined);
    await database.drop();
    throw error;
  }
}
