import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_USERS } from '../../../src/demo/acme.ts';
import type { AcmeSource } from '../../../src/sources/acme/acme-source.ts';
import { acmeSourceTemplate } from '../../../src/sources/acme/acme-template.ts';
import { createTicket } from '../../../src/sources/acme/create-ticket.ts';
import { ACME_ACCESS } from '../../../src/sources/acme/schema.ts';
import { compilePgliteWasm } from '../../../src/sources/pglite-engine.ts';
import { identitySettings } from '../../../src/sources/principal-session.ts';
import { runReadOnlyQuery } from '../../../src/sources/sql-runner.ts';
import { compileIdentity } from '../../../src/sources/workspace/identity-templates.ts';
import { openWorkspaceSource, type WorkspaceSqlSource } from '../../../src/sources/workspace/open-workspace-source.ts';
import type { SourceSpec } from '../../../src/workspace/workspace-config.ts';
import { acmePrincipal } from '../../support/acme-visibility-oracle.ts';
import { acmeSqlFiles } from './acme-sql-files.ts';

/**
 * Acme as one `settings`-convention workspace source: `examples/acme/sql/` holds its schema and
 * seed as SQL (generated from the TypeScript, compared here), and a source declared like
 * `examples/acme/behalf.yaml` with that setup answers every demo user exactly as the built-in
 * Acme source does, labels included.
 */

const ACME_DIR = fileURLToPath(new URL('../../../examples/acme/', import.meta.url));

/** The Acme source as examples/acme/behalf.yaml declares it. */
const ACME_SPEC: SourceSpec = {
  name: 'acme',
  url: 'pglite:acme-pg',
  setup: ['sql/schema.sql', 'sql/seed.sql'],
  identity: {
    convention: 'settings',
    role: 'acme_reader',
    settings: { 'acme.user_id': '{{user.id}}', 'acme.groups': '{{user.groups}}' },
  },
  tables: {
    employees: { labels: ['public'] },
    compensation: { labels: ['hr-confidential'] },
    deals: { labels: ['sales-pipeline:{region}'] },
    incidents: { labels: ['engineering-internal'] },
    tickets: { labels: ['engineering-internal'] },
  },
};

const QUERIES = [
  'SELECT id, name, manager_id FROM employees ORDER BY id',
  'SELECT employee_id, salary, bonus FROM compensation ORDER BY employee_id',
  'SELECT region, count(*), sum(amount) FROM deals GROUP BY region ORDER BY region',
  'SELECT id, account, region FROM deals ORDER BY id',
  'SELECT id, title, status FROM incidents ORDER BY id',
  'SELECT title, reporter_id FROM tickets ORDER BY title',
  'SELECT e.name, c.salary FROM employees e JOIN compensation c ON c.employee_id = e.id ORDER BY e.name',
];

describe('examples/acme/sql', () => {
  it('is what the Acme TypeScript produces', async () => {
    for (const [name, text] of Object.entries(acmeSqlFiles())) {
      if (process.env.BEHALF_WRITE_ACME_SQL === '1') await writeFile(join(ACME_DIR, 'sql', name), text);
      expect(await readFile(join(ACME_DIR, 'sql', name), 'utf8'), `examples/acme/sql/${name}`).toBe(text);
    }
  });
});

describe('Acme as a settings-convention workspace source', () => {
  let dataDir: string;
  let workspace: WorkspaceSqlSource;
  let builtIn: AcmeSource;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'behalf-acme-workspace-'));
    const wasmModule = await compilePgliteWasm();
    ({ source: workspace } = await openWorkspaceSource(ACME_SPEC, {
      dataDir,
      env: {},
      workspaceDir: ACME_DIR,
      wasmModule,
      writerRole: 'acme_writer',
    }));
    builtIn = await (await acmeSourceTemplate()).clone();
  }, 60_000);
  afterAll(async () => {
    await workspace?.close();
    await builtIn?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('sets exactly the settings of the built-in Acme access profile', () => {
    const identity = compileIdentity(ACME_SPEC.identity);
    for (const user of ACME_USERS) {
      const principal = acmePrincipal(user.id);
      expect(identitySettings(identity, principal)).toEqual(identitySettings(ACME_ACCESS, principal));
    }
    expect(identity.readerRole).toBe(ACME_ACCESS.readerRole);
  });

  it('opens without findings', () => {
    expect(workspace.findings).toEqual([]);
  });

  it('answers every demo user as the built-in source does, with the same labels', async () => {
    for (const user of ACME_USERS) {
      const principal = acmePrincipal(user.id);
      for (const sql of QUERIES) {
        const expected = await runReadOnlyQuery(builtIn, principal, sql);
        const actual = await runReadOnlyQuery(workspace, principal, sql);
        expect({ rows: actual.rows, labels: actual.labels }, `${user.id}: ${sql}`).toEqual({
          rows: expected.rows,
          labels: expected.labels,
        });
      }
    }
  });

  it('files a ticket through the writer role, as the person, under the same policies', async () => {
    const ticket = await createTicket(workspace, acmePrincipal('carol'), {
      title: 'Printer on fire',
      body: 'Third floor.',
      severity: 'high',
    });
    expect(ticket).toMatchObject({ reporterId: 'carol', labels: ['engineering-internal'] });
    const seen = await runReadOnlyQuery(
      workspace,
      acmePrincipal('carol'),
      `SELECT reporter_id FROM tickets WHERE title = 'Printer on fire'`,
    );
    expect(seen.rows).toEqual([['carol']]);
  });
});
