import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_USERS } from '../../demo/acme.ts';
import { type AcmeSource, createAcmeSource } from './acme-source.ts';
import { type AcmeSourceTemplate, acmeSourceTemplate } from './acme-template.ts';
import { ACME_SCHEMA_VERSION } from './schema.ts';
import { loadAcme } from './seed.ts';
import { ACME_COMPENSATION, ACME_DEALS, ACME_EMPLOYEES } from './seed-data.ts';

describe('the Acme source', () => {
  let template: AcmeSourceTemplate;
  let source: AcmeSource;
  beforeAll(async () => {
    template = await acmeSourceTemplate();
    source = await template.clone();
  });
  afterAll(async () => {
    await source?.close();
  });

  describe('seed', () => {
    it('holds about 40 employees, the eight demo users with the same ids, names, titles and managers', async () => {
      const { rows } = await source.query<{ id: string; name: string; title: string; manager_id: string | null }>(
        'SELECT id, name, title, manager_id FROM employees',
      );
      expect(rows).toHaveLength(40);
      for (const user of ACME_USERS) {
        expect(rows).toContainEqual({ id: user.id, name: user.name, title: user.title, manager_id: user.managerId });
      }
    });

    it('has the management chain of the spec: bob, gus → erin; carol → frank; alice, erin, frank, ivy → dana', () => {
      const managerOf = (id: string) => ACME_EMPLOYEES.find((employee) => employee.id === id)?.managerId;
      expect(['bob', 'gus'].map(managerOf)).toEqual(['erin', 'erin']);
      expect(managerOf('carol')).toBe('frank');
      expect(['alice', 'erin', 'frank', 'ivy'].map(managerOf)).toEqual(['dana', 'dana', 'dana', 'dana']);
      expect(ACME_EMPLOYEES.filter((employee) => employee.managerId === 'erin').map((e) => e.id)).toEqual([
        'bob',
        'gus',
      ]);
    });

    it('has compensation for everyone and 30 deals, EMEA owned by bob and APAC by gus', async () => {
      const compensation = await source.query('SELECT employee_id FROM compensation');
      expect(compensation.rows).toHaveLength(ACME_EMPLOYEES.length);
      expect(Object.keys(ACME_COMPENSATION).sort()).toEqual(ACME_EMPLOYEES.map((employee) => employee.id).sort());
      const owners = await source.query<{ region: string; owners: string[]; count: number }>(
        'SELECT region, array_agg(DISTINCT owner_id) AS owners, count(*)::int AS count FROM deals GROUP BY region',
      );
      expect(owners.rows).toHaveLength(3);
      expect(owners.rows.find((row) => row.region === 'emea')?.owners).toEqual(['bob']);
      expect(owners.rows.find((row) => row.region === 'apac')?.owners).toEqual(['gus']);
      expect(ACME_DEALS).toHaveLength(30);
      expect((await source.query('SELECT id FROM incidents')).rows).toHaveLength(12);
    });

    it('is idempotent and refuses a database of another schema version', async () => {
      await loadAcme(source);
      expect((await source.query('SELECT id FROM employees')).rows).toHaveLength(40);
      const other = await template.clone();
      try {
        await other.query('UPDATE acme_private.schema_version SET version = version + 1');
        await expect(loadAcme(other)).rejects.toThrow(`expected ${ACME_SCHEMA_VERSION}`);
      } finally {
        await other.close();
      }
    });

    it('persists in a data directory and reopens it without seeding again', async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'behalf-acme-'));
      try {
        const first = await createAcmeSource({ dataDir, snapshot: template.snapshot });
        await first.query(`INSERT INTO tickets (title, body, severity, reporter_id) VALUES ('kept', '', 'low', 'ivy')`);
        await first.close();
        const started = performance.now();
        const second = await createAcmeSource({ dataDir, snapshot: template.snapshot });
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
  });

  describe('roles and grants', () => {
    it('runs queries as roles that are neither superuser, nor RLS-exempt, nor owners', async () => {
      const roles = await source.query<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean; owns: number }>(
        `SELECT r.rolname, r.rolsuper, r.rolbypassrls,
                (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid) AS owns
         FROM pg_roles r WHERE r.rolname IN ('acme_reader', 'acme_writer') ORDER BY r.rolname`,
      );
      expect(roles.rows).toEqual([
        { rolname: 'acme_reader', rolsuper: false, rolbypassrls: false, owns: 0 },
        { rolname: 'acme_writer', rolsuper: false, rolbypassrls: false, owns: 0 },
      ]);
    });

    it('enables and forces row-level security on every Acme table', async () => {
      const tables = await source.query<{ relname: string; on: boolean; forced: boolean }>(
        `SELECT relname, relrowsecurity AS on, relforcerowsecurity AS forced FROM pg_class
         WHERE relname IN ('employees', 'compensation', 'deals', 'incidents', 'tickets') ORDER BY relname`,
      );
      expect(tables.rows).toHaveLength(5);
      for (const table of tables.rows) expect(table).toMatchObject({ on: true, forced: true });
    });

    it('grants set_config to no one but the superuser, and no temporary tables', async () => {
      const privileges = await source.query<{ reader: boolean; writer: boolean; temp: boolean }>(
        `SELECT has_function_privilege('acme_reader', 'set_config(text,text,boolean)', 'EXECUTE') AS reader,
                has_function_privilege('acme_writer', 'set_config(text,text,boolean)', 'EXECUTE') AS writer,
                has_database_privilege('acme_reader', current_database(), 'TEMPORARY') AS temp`,
      );
      expect(privileges.rows).toEqual([{ reader: false, writer: false, temp: false }]);
    });
  });
});
