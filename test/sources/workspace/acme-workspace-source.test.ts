import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePgliteWasm } from '../../../src/sources/pglite-engine.ts';
import { identitySettings } from '../../../src/sources/principal-session.ts';
import { runReadOnlyQuery } from '../../../src/sources/sql-runner.ts';
import { openWorkspaceSource, type WorkspaceSqlSource } from '../../../src/sources/workspace/open-workspace-source.ts';
import type { SourceSpec } from '../../../src/workspace/workspace-config.ts';
import { ACME_WORKSPACE_DIR, acmeSourceSpec, createTicket } from '../../support/acme/acme-source.ts';
import { ACME_USERS } from '../../support/acme/demo.ts';
import { ACME_ACCESS } from '../../support/acme/schema.ts';
import { acmePrincipal } from '../../support/acme-visibility-oracle.ts';
import { acmeSqlFiles } from './acme-sql-files.ts';

/**
 * Acme is one `settings`-convention workspace source (examples/acme/behalf.yaml):
 * `examples/acme/sql/` holds its schema and seed as SQL (generated from the TypeScript in
 * test/support/acme, compared here), it opens on disk exactly as `behalf serve` opens it, and its
 * declared `create_ticket` action files tickets as the person. The row-level security suites of
 * test/examples/acme check every answer against the visibility oracle.
 */

const ACME_DIR = ACME_WORKSPACE_DIR;

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
  let spec: SourceSpec;
  let workspace: WorkspaceSqlSource;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'behalf-acme-workspace-'));
    spec = await acmeSourceSpec();
    ({ source: workspace } = await openWorkspaceSource(spec, {
      dataDir,
      env: {},
      workspaceDir: ACME_DIR,
      wasmModule: await compilePgliteWasm(),
    }));
  }, 60_000);
  afterAll(async () => {
    await workspace?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('sets exactly the settings the schema’s policies read', () => {
    for (const user of ACME_USERS) {
      const principal = acmePrincipal(user.id);
      expect(identitySettings(workspace.identity, principal)).toEqual(identitySettings(ACME_ACCESS, principal));
    }
    expect(workspace.identity.readerRole).toBe(ACME_ACCESS.readerRole);
  });

  it('opens without findings, in the data directory under the name its url gives', async () => {
    expect(workspace.findings).toEqual([]);
    expect(workspace.location).toBe('pglite:acme-pg');
    const seen = await runReadOnlyQuery(workspace, acmePrincipal('bob'), 'SELECT DISTINCT region FROM deals');
    expect(seen).toMatchObject({ rows: [['emea']], labels: ['sales-pipeline:emea'] });
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
