import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { MessageItemWire } from '../../src/protocol/wire.ts';
import { initWorkspace } from '../../src/workspace/init-workspace.ts';
import { adminClient, grantRoleTo } from '../sources/workspace/clinic-fixture.ts';
import { messageAsSeen, postMessage, signIn, waitForRun } from '../support/behalf-client.ts';
import { loginUrl } from '../support/conformance/sources/acme-fixtures.ts';
import { type ExampleDatabase, openOnPostgres } from '../support/example-database.ts';
import { createScratchDatabase, requirePostgres } from '../support/postgres.ts';
import { type BehalfProcess, BehalfProcesses } from '../support/spawn-behalf.ts';

const BIN = fileURLToPath(new URL('../../bin/behalf.js', import.meta.url));
const LOGIN = 'behalf_init_agent';
const postgres = await requirePostgres(
  'behalf init pointed at its own PostgreSQL (test/workspace/init-to-own-postgres)',
);

/**
 * Issue 9, "done when", the second half: a team already has a PostgreSQL database with its own
 * row-level security (here the init sample's schema, run by its administrator, plus a project the
 * embedded sample does not have). Following README alone, it edits one file — `sources[0].url`
 * pointed at a login that may `SET ROLE authenticated`, the `setup:` line deleted — and then
 * `behalf doctor` passes and the agent answers each person with exactly the rows the same claims
 * give when querying the database directly.
 */
describe.skipIf(!postgres)('behalf init, then point the workspace at your own PostgreSQL (one file edited)', () => {
  const processes = new BehalfProcesses();
  let root: string;
  let workspace: string;
  let server: BehalfProcess;
  let oracle: ExampleDatabase;
  const tokens: Record<string, string> = {};
  let people: Array<{ id: string; email: string; attributes: { uid: string } }>;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'behalf-own-pg-'));
    workspace = join(root, 'ws');
    await initWorkspace(workspace);
    // The team's own database: made by its administrator, not by Behalf.
    const database = await createScratchDatabase('behalf_init_own');
    const admin = await adminClient(database.url);
    try {
      await admin.exec(await readFile(join(workspace, 'sql/sample.sql'), 'utf8'));
      await admin.exec(`INSERT INTO public.projects VALUES (4, 'Difference engine', '7d1e6f0a-0000-4000-8000-000000000001', 'active');
        INSERT INTO public.project_notes VALUES (4, 4, 'Only in the team database.')`);
    } finally {
      await admin.end();
    }
    const url = await loginUrl(database.url, LOGIN);
    await grantRoleTo('authenticated', LOGIN);

    // The one edit README describes.
    const file = join(workspace, 'behalf.yaml');
    const before = await readFile(file, 'utf8');
    const after = before.replace(/^(\s+url:\s*).*$/m, `$1${url}`).replace(/^\s+setup:.*\n/m, '');
    expect(after).not.toBe(before);
    await writeFile(file, after);
    people = (parse(after) as { people: typeof people }).people;

    oracle = openOnPostgres({
      adminUrl: database.url,
      serverEnv: {},
      actingAs: (person) => {
        const entry = people.find((candidate) => candidate.id === person);
        const claims = { sub: entry?.attributes.uid, email: entry?.email, role: 'authenticated' };
        return { settings: { 'request.jwt.claims': JSON.stringify(claims) }, role: 'authenticated' };
      },
      drop: database.drop,
    });
    server = await processes.spawn({
      name: 'own-pg',
      dataDir: join(root, 'data'),
      env: { BEHALF_WORKSPACE: workspace },
    });
    for (const person of ['ada', 'grace', 'linus']) tokens[person] = await signIn(server.url, person);
  }, 180_000);
  afterAll(async () => {
    await processes.killAll();
    await oracle?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const ask = async (person: string, text: string) => {
    const token = tokens[person] as string;
    const posted = await postMessage(server.url, token, 'thr_welcome', text);
    return (await waitForRun(server.url, token, posted.run?.id as string, ['done'])).run;
  };
  const view = (person: string, id: string | null) =>
    messageAsSeen(server.url, tokens[person] as string, 'thr_welcome', id);
  const projectNames = (item: MessageItemWire | undefined) =>
    item && !item.hidden ? [...item.text.matchAll(/^\| \d+ \| ([^|]+?) \|/gm)].map((match) => match[1]).sort() : [];

  it('behalf doctor finds no error in the edited workspace', async () => {
    // Asynchronously: a synchronous child would stall this process's sockets to the server.
    const doctor = await promisify(execFile)(
      process.execPath,
      [BIN, 'doctor', '--workspace', workspace, '--data', join(root, 'doctor-data'), '--json'],
      { encoding: 'utf8', timeout: 120_000 },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(doctor.stdout.trim().split('\n').pop() ?? '{}') as {
      findings: Array<{ severity: string; message: string }>;
    };
    // Warnings may remain (hardening hints to accept knowingly); errors may not.
    expect(report.findings.filter((finding) => finding.severity === 'error')).toEqual([]);
  }, 120_000);

  it.each(['ada', 'grace', 'linus'])(
    'answers %s from the team database with the rows the same claims read there directly',
    async (person) => {
      const run = await ask(person, '@agent list the projects');
      const direct = (await oracle.direct(person, 'SELECT name FROM public.projects')).map((row) => row[0]).sort();
      expect(direct.length).toBeGreaterThan(0);
      expect(projectNames(await view(person, run.answerMessageId))).toEqual(direct);
    },
    60_000,
  );

  it('the project only the team database has reaches the person its policy admits, not the others', async () => {
    const adas = (await oracle.direct('ada', 'SELECT name FROM public.projects')).map((row) => row[0]);
    const linuss = (await oracle.direct('linus', 'SELECT name FROM public.projects')).map((row) => row[0]);
    expect(adas).toContain('Difference engine');
    expect(linuss).not.toContain('Difference engine');
  });
});
