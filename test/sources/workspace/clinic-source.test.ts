import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonSafeRow } from '../../../src/sources/json-safe.ts';
import { compilePgliteWasm } from '../../../src/sources/pglite-engine.ts';
import { SqlQueryError } from '../../../src/sources/sql-query-error.ts';
import { runReadOnlyQuery } from '../../../src/sources/sql-runner.ts';
import { findSourceProblems, type SourceFinding } from '../../../src/sources/workspace/inspect-source.ts';
import {
  identityFindings,
  inspectWorkspaceSource,
  openWorkspaceSource,
  WorkspaceSourceError,
} from '../../../src/sources/workspace/open-workspace-source.ts';
import { administerTestServer, requirePostgres } from '../../support/postgres.ts';
import {
  CLINIC_LOGIN,
  CLINIC_PEOPLE,
  type ClinicPerson,
  type ClinicUnderTest,
  clinicSpec,
  FIXTURE_DIR,
  FIXTURE_SQL,
  grantRoleTo,
  openClinicOnPglite,
  openClinicOnPostgres,
} from './clinic-fixture.ts';

/**
 * A Supabase-style database (auth.uid(), auth.jwt(), a SECURITY DEFINER membership helper) as a
 * workspace source with the `postgrest` convention, on PGlite and on PostgreSQL: what the agent
 * reads as each person equals what that person reads querying directly under the same claims,
 * results carry the labels of their rows and columns, and a source that would not hold is refused.
 */

const postgres = await requirePostgres('PostgreSQL runs of the workspace source tests (test/sources/workspace)');

const ORACLE_QUERIES = [
  'SELECT id, name, ward, ssn, diagnosis, admitted FROM patients ORDER BY id',
  'SELECT ward, count(*) AS n FROM patients GROUP BY ward ORDER BY ward',
  'SELECT n.id, n.body, p.name FROM notes n JOIN patients p ON p.id = n.patient_id ORDER BY n.id',
  'SELECT n.id, n.body FROM notes n ORDER BY n.id',
  'SELECT ward, shift, staff FROM rosters ORDER BY ward, shift',
  'SELECT id, name, floor FROM wards ORDER BY id',
  `SELECT auth.uid()::text AS uid, auth.role() AS role, auth.email() AS email, auth.jwt() ->> 'role' AS jwt_role`,
  `SELECT count(*) AS n FROM patients WHERE ssn LIKE '3%'`,
];

const ORACLE_PEOPLE: ClinicPerson[] = ['ana', 'ben', 'cleo', 'eve'];

/** A login that exists but was granted nothing: as an installation that skipped its GRANTs. */
const UNGRANTED_LOGIN = 'behalf_ungranted';
async function ensureUngrantedLogin(): Promise<string> {
  await administerTestServer(`DO $$ BEGIN
    CREATE ROLE ${UNGRANTED_LOGIN} LOGIN NOINHERIT NOSUPERUSER NOBYPASSRLS;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END $$`);
  return UNGRANTED_LOGIN;
}

function has(findings: readonly SourceFinding[], severity: SourceFinding['severity'], pattern: RegExp): boolean {
  return findings.some((finding) => finding.severity === severity && pattern.test(finding.message));
}

function describeClinic(engine: string, open: () => Promise<ClinicUnderTest>): void {
  describe(`a Supabase-style source (${engine})`, () => {
    let clinic: ClinicUnderTest;
    beforeAll(async () => {
      clinic = await open();
    }, 60_000);
    afterAll(async () => {
      await clinic?.close();
    });

    const run = (person: ClinicPerson, sql: string) => runReadOnlyQuery(clinic.source, CLINIC_PEOPLE[person], sql);
    const refusal = async (promise: Promise<unknown>): Promise<SqlQueryError> => {
      const error = await promise.catch((caught: unknown) => caught);
      if (!(error instanceof SqlQueryError)) throw new Error(`expected a SqlQueryError, got ${String(error)}`);
      return error;
    };

    it('opens without findings, describing its readable tables for the model', () => {
      expect(clinic.source.findings).toEqual([]);
      expect(clinic.source.description).toContain('patients(id, name, ward, ssn, diagnosis, admitted)');
      expect(clinic.source.description).not.toContain('ward_members');
      expect(clinic.source.engine).toBe(engine === 'PGlite' ? 'pglite' : 'postgres');
    });

    describe('answers as each person, as the database answers them directly (the oracle)', () => {
      for (const person of ORACLE_PEOPLE) {
        it(`${person}`, async () => {
          for (const sql of ORACLE_QUERIES) {
            const expected = (await clinic.direct(person, sql)).map((row) => jsonSafeRow(row));
            const result = await run(person, sql);
            expect(result.rows, `${person}: ${sql}`).toEqual(expected);
          }
        });
      }

      it('shows that row-level security narrowed them, naming the policies', async () => {
        const ana = await run('ana', 'SELECT name FROM patients ORDER BY id');
        expect(ana.rows).toEqual([['Pat Quinn'], ['Lee Moreau']]);
        expect(ana.rowSecurity.map((rule) => rule.policy)).toEqual(['Ward staff and chiefs read patients']);
        expect((await run('cleo', 'SELECT count(*) FROM patients')).rows).toEqual([[5]]);
        expect((await run('ben', 'SELECT auth.uid()::text')).rows).toEqual([[CLINIC_PEOPLE.ben.attributes.uid]]);
      });
    });

    describe('labels', () => {
      it('labels a table per row from a column, and statically', async () => {
        expect((await run('ana', 'SELECT name FROM patients')).labels).toEqual(['patient-record', 'ward:w3']);
        expect((await run('cleo', 'SELECT name FROM patients')).labels).toEqual([
          'patient-record',
          'ward:w3',
          'ward:w4',
        ]);
        expect((await run('ben', 'SELECT * FROM rosters')).labels).toEqual(['ward:w4']);
        expect((await run('eve', 'SELECT * FROM rosters')).labels).toEqual(['ward:w3', 'ward:w4']);
        expect((await run('ana', 'SELECT * FROM wards')).labels).toEqual(['public']);
        expect((await run('ana', 'SELECT 1')).labels).toEqual(['public']);
      });

      it.each([
        ['SELECT name, ssn FROM patients'],
        ['SELECT * FROM patients'],
        [`SELECT count(*) FROM patients WHERE ssn LIKE '1%'`],
        ['SELECT name FROM patients ORDER BY ssn'],
        ['SELECT to_jsonb(p) FROM patients p'],
        ['SELECT p FROM patients p'],
        ['SELECT n.body FROM notes n JOIN patients p ON p.ssn = n.body'],
        ['SELECT length(max(ssn)) FROM patients GROUP BY ward'],
        ['SELECT x.name, x.ssn FROM (SELECT * FROM patients ORDER BY id LIMIT 10) x'],
        ['WITH c AS MATERIALIZED (SELECT * FROM patients) SELECT name FROM c'],
        ['SELECT name FROM patients WHERE EXISTS (SELECT 1 FROM notes n WHERE n.body = patients.ssn)'],
        ['SELECT name, row_number() OVER (PARTITION BY ssn) FROM patients'],
        ['SELECT name, rank() OVER (ORDER BY ssn) FROM patients'],
        ['SELECT x.name FROM (SELECT DISTINCT name, ssn FROM patients) x'],
        ['SELECT name FROM patients UNION SELECT ssn FROM patients'],
        ['SELECT * FROM (SELECT name FROM patients UNION ALL SELECT ssn FROM patients) u'],
        ['SELECT name FROM patients p WHERE p.ssn IN (SELECT body FROM notes)'],
        ['SELECT (SELECT max(ssn) FROM patients)'],
        ['SELECT name FROM patients GROUP BY name, ssn'],
        ['SELECT DISTINCT ON (ssn) name FROM patients'],
        ['SELECT name FROM patients ORDER BY ssn LIMIT 1'],
        [`SELECT string_agg(name, ',' ORDER BY ssn) FROM patients`],
        ['SELECT l.s FROM patients p CROSS JOIN LATERAL (SELECT p.ssn AS s) l'],
        ['SELECT count(DISTINCT ssn) FROM patients'],
        ['SELECT jsonb_agg(p) FROM patients p'],
        ['SELECT row_to_json(x) FROM (SELECT name, ssn FROM patients) x'],
        [`SELECT name FROM patients WHERE ssn <> ''`],
        [`SELECT CASE WHEN ssn > '2' THEN 1 END FROM patients`],
        [
          'WITH RECURSIVE r(s, n) AS (SELECT ssn, 1 FROM patients UNION ALL SELECT s, n + 1 FROM r WHERE n < 2) SELECT count(*) FROM r',
        ],
        ['SELECT p2.name FROM patients p1 JOIN patients p2 ON p1.ssn < p2.ssn'],
        ['SELECT name, (SELECT count(*) FROM notes n WHERE n.body = p.ssn) FROM patients p'],
        ['SELECT n.body FROM notes n JOIN patients p ON p.id = n.patient_id WHERE p.ssn > n.body'],
        ['SELECT name FROM patients p1 WHERE ssn = (SELECT min(ssn) FROM patients p2 WHERE p2.ward = p1.ward)'],
      ])('labels a statement that reads the ssn column pii: %s', async (sql) => {
        expect((await run('ana', sql)).labels).toContain('pii');
      });

      it.each([
        ['SELECT name, ward FROM patients'],
        ['SELECT count(*) FROM patients'],
        ['SELECT p.name, n.body FROM patients p JOIN notes n ON n.patient_id = p.id'],
        ['SELECT ward, count(*) FROM patients GROUP BY ward'],
        // The planner drops the subquery's unused columns: ssn is not read.
        ['SELECT x.name FROM (SELECT * FROM patients ORDER BY id LIMIT 10) x'],
      ])('leaves pii off a statement that does not read ssn: %s', async (sql) => {
        const labels = (await run('ana', sql)).labels;
        expect(labels).not.toContain('pii');
        expect(labels).toContain('patient-record');
      });

      it('labels a readable table without labels unclassified; an unreadable one fails at the plan', async () => {
        await clinic.admin.query('GRANT SELECT ON public.ward_members TO authenticated');
        try {
          const result = await run('ben', 'SELECT ward FROM ward_members');
          expect(result.rows).toEqual([['w4']]);
          expect(result.labels).toEqual(['unclassified']);
        } finally {
          await clinic.admin.query('REVOKE SELECT ON public.ward_members FROM authenticated');
        }
        // Refused while planning: no plan, so no labels to declare (the gateway fails closed).
        const declared: string[][] = [];
        const error = await refusal(
          runReadOnlyQuery(clinic.source, CLINIC_PEOPLE.ana, 'SELECT * FROM auth.users', {
            onReading: (labels) => declared.push(labels),
          }),
        );
        expect(error.kind).toBe('permission_denied');
        expect(declared).toEqual([]);
      });
    });

    describe('people whose claims cannot be filled', () => {
      it('refuses their queries before anything runs, naming the missing value', async () => {
        const declared: string[][] = [];
        const dan = await refusal(
          runReadOnlyQuery(clinic.source, CLINIC_PEOPLE.dan, 'SELECT name FROM patients', {
            onReading: (labels) => declared.push(labels),
          }),
        );
        expect(dan.kind).toBe('unidentified');
        expect(dan.message).toContain('{{user.attributes.uid}}');
        expect(declared).toEqual([]);
        const fay = await refusal(run('fay', 'SELECT 1'));
        expect(fay.kind).toBe('unidentified');
        expect(fay.message).toContain('{{user.email}}');
        // A bare principal (no attributes, no email) is refused the same way: fail closed.
        await expect(runReadOnlyQuery(clinic.source, { id: 'ana', groups: [] }, 'SELECT 1')).rejects.toMatchObject({
          kind: 'unidentified',
        });
      });

      it('says who cannot query, for doctor', () => {
        expect(clinic.source.missingValues(CLINIC_PEOPLE.dan)).toEqual(['{{user.attributes.uid}}']);
        expect(clinic.source.missingValues(CLINIC_PEOPLE.ana)).toEqual([]);
        const findings = identityFindings(clinicSpec(clinic.url), Object.values(CLINIC_PEOPLE));
        expect(findings.map((finding) => [finding.area, finding.severity, finding.message.split(' ')[0]])).toEqual([
          ['people', 'warning', 'dan'],
          ['people', 'warning', 'fay'],
        ]);
        expect(findings[0]?.fix).toContain('uid');
      });
    });

    describe('statements that would escape the person', () => {
      it.each([
        [
          `SELECT name FROM patients WHERE set_config('request.jwt.claim.sub', '22222222-2222-4222-8222-222222222222', true) IS NOT NULL`,
        ],
        [`SELECT (SELECT pg_catalog.set_config('role', 'postgres', true)), name FROM patients`],
        [`SELECT query_to_xml('SELECT * FROM patients', true, false, '')`],
        ['SELECT pg_sleep(0.01)'],
        [`SELECT p.name FROM set_config('request.jwt.claims', '{"groups":["chiefs"]}', true) s, patients p`],
      ])('refuses %s', async (sql) => {
        expect((await refusal(run('ana', sql))).kind).toBe('permission_denied');
        // Nothing changed: ana still reads as ana.
        expect((await run('ana', 'SELECT auth.uid()::text')).rows).toEqual([[CLINIC_PEOPLE.ana.attributes.uid]]);
      });

      it.each([
        ['UPDATE patients SET ward = $$w3$$'],
        ['WITH d AS (DELETE FROM notes RETURNING *) SELECT * FROM d'],
        ['SET ROLE postgres'],
      ])('refuses the write or command %s', async (sql) => {
        expect(['read_only', 'invalid', 'permission_denied']).toContain((await refusal(run('ana', sql))).kind);
      });
    });

    describe('hardening findings (inspecting the same database after changes by its owner)', () => {
      const inspect = (role = 'authenticated', tables = clinicSpec(clinic.url).tables) =>
        findSourceProblems(clinic.source, {
          name: 'clinic',
          engine: clinic.source.engine,
          role,
          tables,
        });
      const suffix = randomBytes(4).toString('hex');
      const bypass = `behalf_ws_bypass_${suffix}`;
      const owner = `behalf_ws_owner_${suffix}`;
      afterAll(async () => {
        // Roles are cluster-wide on PostgreSQL: leave none behind (PGlite's go with its database).
        if (clinic?.engine === 'PostgreSQL') {
          await clinic.admin.query('ALTER TABLE public.rosters OWNER TO postgres').catch(() => undefined);
          for (const role of [bypass, owner]) await administerTestServer(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
        }
      });

      it('refuses a BYPASSRLS or superuser query role', async () => {
        await clinic.admin.query(`CREATE ROLE ${bypass} NOLOGIN BYPASSRLS`);
        if (clinic.engine === 'PostgreSQL') await grantRoleTo(bypass, CLINIC_LOGIN);
        expect(has(await inspect(bypass), 'error', /BYPASSRLS/)).toBe(true);
        expect(has(await inspect('postgres'), 'error', /role postgres is a superuser/)).toBe(true);
        expect(has(await inspect('nobody_here'), 'error', /does not exist/)).toBe(true);
      });

      it('refuses a role that owns a labelled table without forced row-level security, warns on missing FORCE', async () => {
        await clinic.admin.query(`CREATE ROLE ${owner} NOLOGIN`);
        await clinic.admin.query('ALTER TABLE public.rosters NO FORCE ROW LEVEL SECURITY');
        await clinic.admin.query(`ALTER TABLE public.rosters OWNER TO ${owner}`);
        try {
          expect(has(await inspect(owner), 'error', /owner of public\.rosters/)).toBe(true);
          const findings = await inspect();
          expect(has(findings, 'warning', /public\.rosters enables row-level security without forcing it/)).toBe(true);
          expect(findings.some((finding) => finding.severity === 'error')).toBe(false);
          await clinic.admin.query('ALTER TABLE public.rosters FORCE ROW LEVEL SECURITY');
          // Forced, the owner's role is subject to the policies too.
          expect(has(await inspect(owner), 'error', /owner of/)).toBe(false);
        } finally {
          await clinic.admin.query('ALTER TABLE public.rosters FORCE ROW LEVEL SECURITY');
          await clinic.admin.query('ALTER TABLE public.rosters OWNER TO postgres');
        }
      });

      it('warns on a labelled table without row-level security', async () => {
        await clinic.admin.query('ALTER TABLE public.wards DISABLE ROW LEVEL SECURITY');
        try {
          expect(has(await inspect(), 'warning', /public\.wards has no row-level security/)).toBe(true);
        } finally {
          await clinic.admin.query('ALTER TABLE public.wards ENABLE ROW LEVEL SECURITY');
        }
      });

      it('warns when the role may not read a column its labels take a value from', async () => {
        await clinic.admin.query('REVOKE SELECT ON public.patients FROM authenticated');
        await clinic.admin.query('GRANT SELECT (id, name, ssn) ON public.patients TO authenticated');
        try {
          const findings = await inspect();
          expect(has(findings, 'warning', /may not read public\.patients\.ward/)).toBe(true);
          expect(findings.find((finding) => /patients\.ward/.test(finding.message))?.fix).toBe(
            'GRANT SELECT (ward) ON public.patients TO authenticated',
          );
        } finally {
          await clinic.admin.query('REVOKE SELECT (id, name, ssn) ON public.patients FROM authenticated');
          await clinic.admin.query('GRANT SELECT ON public.patients TO authenticated');
        }
      });

      it('warns on missing tables and columns, views, and readable tables without labels', async () => {
        const tables = {
          ...clinicSpec(clinic.url).tables,
          'public.ghosts': { labels: ['internal'] },
          'public.rosters': { labels: ['ward:{wardd}'], columns: { salary: ['pay'] } },
        };
        await clinic.admin.query('GRANT SELECT ON public.ward_members TO authenticated');
        await clinic.admin.query('CREATE VIEW public.patient_names AS SELECT name FROM public.patients');
        await clinic.admin.query('GRANT SELECT ON public.patient_names TO authenticated');
        try {
          const findings = await inspect('authenticated', tables);
          expect(findings.every((finding) => finding.severity === 'warning')).toBe(true);
          expect(has(findings, 'warning', /table public\.ghosts \(tables:\) does not exist/)).toBe(true);
          expect(has(findings, 'warning', /\{wardd\} from a column wardd/)).toBe(true);
          expect(has(findings, 'warning', /columns names salary/)).toBe(true);
          expect(has(findings, 'warning', /without labels \(ward_members\)/)).toBe(true);
          expect(has(findings, 'warning', /view patient_names reads its tables as its owner/)).toBe(true);
          for (const finding of findings) expect(finding.fix.length).toBeGreaterThan(10);
        } finally {
          await clinic.admin.query('DROP VIEW public.patient_names');
          await clinic.admin.query('REVOKE SELECT ON public.ward_members FROM authenticated');
        }
      });
    });
  });
}

describeClinic('PGlite', openClinicOnPglite);
describe.skipIf(!postgres)('PostgreSQL', () => {
  describeClinic('PostgreSQL', () => openClinicOnPostgres());

  describe('opening a PostgreSQL source Behalf does not own', () => {
    let clinic: ClinicUnderTest;
    beforeAll(async () => {
      clinic = await openClinicOnPostgres({ harden: false });
    }, 60_000);
    afterAll(async () => {
      await clinic?.close();
    });

    it('warns that the query role may call set_config until the hardening is applied, and refuses the calls meanwhile', async () => {
      expect(clinic.source.findings.map((finding) => finding.severity)).toEqual(['warning']);
      expect(clinic.source.findings[0]?.message).toMatch(/role authenticated may execute .*set_config/);
      expect(clinic.source.findings[0]?.fix).toContain('REVOKE EXECUTE');
      const error = await runReadOnlyQuery(
        clinic.source,
        CLINIC_PEOPLE.ana,
        `SELECT name FROM patients WHERE set_config('request.jwt.claims', '{"groups":["chiefs"]}', true) IS NOT NULL`,
      ).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ kind: 'permission_denied' });
    });

    it('refuses a superuser login', async () => {
      const superuserUrl = new URL(clinic.url);
      superuserUrl.username = 'postgres';
      const { setup: _none, ...spec } = clinicSpec(superuserUrl.toString());
      const error = await openWorkspaceSource(spec, clinic.options).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(WorkspaceSourceError);
      expect((error as WorkspaceSourceError).message).toMatch(/connects as postgres, which is a superuser/);
    });

    it('reports an unreachable source and unfillable people through inspectWorkspaceSource, never throwing', async () => {
      const unreachable = clinicSpec('postgres://nobody@127.0.0.1:1/nothing');
      const findings = await inspectWorkspaceSource(unreachable, {
        ...clinic.options,
        connectTimeoutMs: 1000,
        people: [CLINIC_PEOPLE.ana, CLINIC_PEOPLE.dan],
      });
      expect(findings.map((finding) => [finding.severity, finding.area])).toEqual([
        ['error', 'sources'],
        ['warning', 'people'],
      ]);
      expect(findings[0]?.message).toMatch(/cannot be opened/);
      expect(findings[0]?.message).not.toContain('password');
    });

    it('names the grants a fresh install lacks, each with its fix: the role switch, and SELECT on a table', async () => {
      const ungranted = new URL(clinic.url);
      ungranted.username = await ensureUngrantedLogin();
      const { setup: _none, ...spec } = clinicSpec(ungranted.toString());
      const findings = await inspectWorkspaceSource(spec, clinic.options);
      const roleSwitch = findings.find((finding) => /cannot act as role authenticated/.test(finding.message));
      expect(roleSwitch).toMatchObject({ severity: 'error', fix: `GRANT authenticated TO ${UNGRANTED_LOGIN}` });

      await clinic.admin.query('REVOKE SELECT ON public.wards FROM authenticated');
      try {
        const { setup: _again, ...granted } = clinicSpec(clinic.url);
        const missing = (await inspectWorkspaceSource(granted, clinic.options)).find((finding) =>
          /may not read public\.wards/.test(finding.message),
        );
        expect(missing).toMatchObject({
          severity: 'warning',
          fix: expect.stringContaining('GRANT SELECT ON public.wards TO authenticated'),
        });
      } finally {
        await clinic.admin.query('GRANT SELECT ON public.wards TO authenticated');
      }
    });

    it('expands the url from the environment', async () => {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a behalf.yaml url, which Behalf expands
      const { setup: _none, ...spec } = clinicSpec('${CLINIC_URL}');
      const { source } = await openWorkspaceSource(spec, { ...clinic.options, env: { CLINIC_URL: clinic.url } });
      try {
        expect((await runReadOnlyQuery(source, CLINIC_PEOPLE.ben, 'SELECT count(*) FROM patients')).rows).toEqual([
          [3],
        ]);
      } finally {
        await source.close();
      }
      await expect(openWorkspaceSource(spec, { ...clinic.options, env: {} })).rejects.toThrow(/CLINIC_URL/);
    });
  });
});

describe('an embedded source and its setup', () => {
  let dataDir: string;
  let workspaceDir: string;
  let wasmModule: WebAssembly.Module;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'behalf-clinic-data-'));
    workspaceDir = await mkdtemp(join(tmpdir(), 'behalf-clinic-workspace-'));
    wasmModule = await compilePgliteWasm();
    await writeFile(join(workspaceDir, FIXTURE_SQL), await readFile(join(FIXTURE_DIR, FIXTURE_SQL)));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(workspaceDir, { recursive: true, force: true });
  });

  it('runs the setup once: a second open finds it applied, a changed setup is left alone with a warning', async () => {
    const options = { dataDir, env: {}, workspaceDir, wasmModule };
    // The default of an unset variable: `pglite:clinic-db`, under the data directory.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a behalf.yaml url, which Behalf expands
    const plain = clinicSpec('pglite:${CLINIC_DB:-clinic-db}');
    const first = await openWorkspaceSource(plain, options);
    await runReadOnlyQuery(first.source, CLINIC_PEOPLE.ana, 'SELECT 1');
    await first.source.close();
    // Re-running the fixture would fail (CREATE TABLE of existing tables): the open proves it did not.
    const second = await openWorkspaceSource(plain, options);
    expect(second.findings).toEqual([]);
    expect((await runReadOnlyQuery(second.source, CLINIC_PEOPLE.cleo, 'SELECT count(*) FROM patients')).rows).toEqual([
      [5],
    ]);
    await second.source.close();
    await writeFile(join(workspaceDir, 'more.sql'), 'CREATE TABLE public.extra (id int);');
    const changed = await openWorkspaceSource({ ...plain, setup: [FIXTURE_SQL, 'more.sql'] }, options);
    expect(changed.findings.map((finding) => finding.message)).toEqual([
      expect.stringMatching(/setup files changed since its embedded database was created/),
    ]);
    await changed.source.close();
  }, 60_000);

  it('refuses to open with a BYPASSRLS role, naming the fix', async () => {
    await writeFile(
      join(workspaceDir, 'bypass.sql'),
      'CREATE ROLE clinic_bypass NOLOGIN BYPASSRLS; GRANT SELECT ON public.patients TO clinic_bypass;',
    );
    const spec = clinicSpec('pglite:memory', {
      setup: [FIXTURE_SQL, 'bypass.sql'],
      identity: { convention: 'settings', role: 'clinic_bypass', settings: { 'app.user_id': '{{user.id}}' } },
    });
    const error = await openWorkspaceSource(spec, { dataDir, env: {}, workspaceDir, wasmModule }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(WorkspaceSourceError);
    const finding = (error as WorkspaceSourceError).findings.find((candidate) => candidate.severity === 'error');
    expect(finding?.message).toMatch(/role clinic_bypass is BYPASSRLS/);
    expect(finding?.fix).toMatch(/NOBYPASSRLS/);
  }, 60_000);

  it('refuses a declaration that cannot work for anyone, before opening anything', async () => {
    const unknown = clinicSpec('pglite:memory', {
      identity: { convention: 'postgrest', role: 'authenticated', claims: { sub: '{{user.uid}}' } },
    });
    await expect(openWorkspaceSource(unknown, { dataDir, env: {}, workspaceDir })).rejects.toThrow(
      /unknown placeholder \{\{user\.uid\}\}/,
    );
    const missingFile = clinicSpec('pglite:memory', { setup: ['nope.sql'] });
    await expect(openWorkspaceSource(missingFile, { dataDir, env: {}, workspaceDir, wasmModule })).rejects.toThrow(
      /setup file nope\.sql cannot be read/,
    );
  });
});
