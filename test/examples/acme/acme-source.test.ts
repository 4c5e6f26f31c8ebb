import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRowSecurityProblems } from '../../../src/sources/verify-row-security.ts';
import { openWorkspaceSource } from '../../../src/sources/workspace/open-workspace-source.ts';
import {
  ACME_WORKSPACE_DIR,
  type AcmeSource,
  type AcmeSourceTemplate,
  acmeSourceSpec,
  acmeSourceTemplate,
} from '../../support/acme/acme-source.ts';
import { ACME_ROLES_SQL, ACME_ROW_SECURITY } from '../../support/acme/schema.ts';
import { ACME_EMPLOYEES } from '../../support/acme/seed-data.ts';
import { describeOnEveryAcmeSource } from '../../support/conformance/sources/acme-fixtures.ts';
import { describeAcmeSchemaSuite } from '../../support/conformance/sources/acme-schema-suite.ts';

await describeOnEveryAcmeSource('the Acme database suite', describeAcmeSchemaSuite);

describe('the embedded Acme source of examples/acme (PGlite)', () => {
  let template: AcmeSourceTemplate;
  beforeAll(async () => {
    template = await acmeSourceTemplate();
  });

  it('has the management chain of the spec: bob, gus → erin; carol → frank; alice, erin, frank, ivy → dana', () => {
    const managerOf = (id: string) => ACME_EMPLOYEES.find((employee) => employee.id === id)?.managerId;
    expect(['bob', 'gus'].map(managerOf)).toEqual(['erin', 'erin']);
    expect(managerOf('carol')).toBe('frank');
    expect(['alice', 'erin', 'frank', 'ivy'].map(managerOf)).toEqual(['dana', 'dana', 'dana', 'dana']);
    expect(ACME_EMPLOYEES.filter((employee) => employee.managerId === 'erin').map((e) => e.id)).toEqual(['bob', 'gus']);
  });

  it('persists in a data directory and reopens it without seeding again', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'behalf-acme-'));
    try {
      const spec = await acmeSourceSpec();
      // As `behalf serve` opens it: `pglite:acme-pg` under the data directory.
      const open = async () =>
        (
          await openWorkspaceSource(spec, {
            dataDir,
            env: {},
            workspaceDir: ACME_WORKSPACE_DIR,
            snapshot: template.snapshot,
          })
        ).source;
      const first = await open();
      await first.query(`INSERT INTO tickets (title, body, severity, reporter_id) VALUES ('kept', '', 'low', 'ivy')`);
      await first.close();
      const started = performance.now();
      const second = await open();
      const reopenMs = performance.now() - started;
      const tickets = await second.query<{ title: string }>('SELECT title FROM tickets');
      expect(tickets.rows.map((row) => row.title)).toContain('kept');
      expect((await second.query('SELECT id FROM employees')).rows).toHaveLength(40);
      await second.close();
      expect(reopenMs).toBeLessThan(15_000);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  // Roles are server-wide: on the shared PostgreSQL test server these would disturb other files,
  // so they run on PGlite's private cluster only.
  describe('query roles someone gave power to', () => {
    let source: AcmeSource;
    beforeAll(async () => {
      source = await template.clone();
    });
    afterAll(async () => {
      await source?.close();
    });

    it('are refused by the loader and named by the verification', async () => {
      await source.exec('ALTER ROLE acme_reader BYPASSRLS; GRANT pg_read_all_data TO acme_writer;');
      try {
        await expect(source.exec(ACME_ROLES_SQL)).rejects.toThrow(
          'role acme_reader already exists with privileges a query role must not have',
        );
        const problems = await findRowSecurityProblems(source, ACME_ROW_SECURITY);
        expect(problems).toContain('role acme_reader has SUPERUSER, BYPASSRLS, LOGIN or another attribute');
        expect(problems).toContain('role acme_writer is a member of another role');
      } finally {
        await source.exec('ALTER ROLE acme_reader NOBYPASSRLS; REVOKE pg_read_all_data FROM acme_writer;');
      }
      expect(await findRowSecurityProblems(source, ACME_ROW_SECURITY)).toEqual([]);
    });
  });
});
