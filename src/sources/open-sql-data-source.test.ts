import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acmePrincipal } from '../../test/support/acme-visibility-oracle.ts';
import { createScratchDatabase, requirePostgres } from '../../test/support/postgres.ts';
import { createAcmeSource } from './acme/acme-source.ts';
import { acmeSourceTemplate } from './acme/acme-template.ts';
import { openSqlDataSource, parseDataSourceUrl, redactDataSourceUrl } from './open-sql-data-source.ts';
import { runReadOnlyQuery } from './sql-runner.ts';

const postgres = await requirePostgres('opening data sources by postgres:// URL');

describe('data sources named by URL', () => {
  it('reads pglite:memory, relative and absolute pglite: directories, and postgres URLs', () => {
    expect(parseDataSourceUrl('pglite:memory')).toEqual({ engine: 'pglite', dataDir: undefined });
    expect(parseDataSourceUrl('pglite:data/acme-pg', '/srv/behalf')).toEqual({
      engine: 'pglite',
      dataDir: '/srv/behalf/data/acme-pg',
    });
    expect(parseDataSourceUrl('pglite:/var/lib/acme', '/srv')).toEqual({ engine: 'pglite', dataDir: '/var/lib/acme' });
    expect(parseDataSourceUrl('pglite:///var/lib/acme', '/srv')).toEqual({
      engine: 'pglite',
      dataDir: '/var/lib/acme',
    });
    for (const url of ['postgres://app@db/acme', 'postgresql://app:pw@db:5433/acme?sslmode=require']) {
      expect(parseDataSourceUrl(url)).toEqual({ engine: 'postgres', connectionString: url });
    }
  });

  it('refuses other schemes and an empty pglite path, without echoing the URL', () => {
    expect(() => parseDataSourceUrl('mysql://root:hunter2@db/acme')).toThrow(
      /unsupported data source URL scheme mysql:/,
    );
    expect(() => parseDataSourceUrl('mysql://root:hunter2@db/acme')).not.toThrow(/hunter2/);
    expect(() => parseDataSourceUrl('/var/lib/acme')).toThrow(/scheme \(none\)/);
    expect(() => parseDataSourceUrl('pglite:')).toThrow(/needs a directory/);
  });

  it('redacts the password of a postgres URL for logs', () => {
    expect(redactDataSourceUrl('postgres://behalf_app:s3cret@db:5432/acme')).toBe(
      'postgres://behalf_app:***@db:5432/acme',
    );
    expect(redactDataSourceUrl('pglite:memory')).toBe('pglite:memory');
  });

  it('opens Acme in a pglite: directory relative to the base directory', async () => {
    const baseDir = await mkdtemp(join(tmpdir(), 'behalf-url-'));
    try {
      // The directory is filled from the cached template (a fresh initdb takes seconds); the URL reopens it.
      const { snapshot } = await acmeSourceTemplate();
      await createAcmeSource({ dataDir: join(baseDir, 'acme-pg'), snapshot }).then((filled) => filled.close());
      const source = await openSqlDataSource('pglite:acme-pg', { schema: 'acme', baseDir });
      const result = await runReadOnlyQuery(source, acmePrincipal('bob'), 'SELECT DISTINCT region FROM deals');
      expect(result).toMatchObject({ rows: [['emea']], labels: ['sales-pipeline:emea'] });
      await source.close();
    } finally {
      await rm(baseDir, { recursive: true, force: true });
    }
  });

  it.skipIf(!postgres)('opens Acme, or a plain source, on a postgres:// URL', async () => {
    const database = await createScratchDatabase('behalf_url');
    try {
      const plain = await openSqlDataSource(database.url);
      expect((await plain.query('SELECT to_regclass($1) AS found', ['employees'])).rows).toEqual([{ found: null }]);
      await plain.close();
      const acme = await openSqlDataSource(database.url, { schema: 'acme', poolSize: 2 });
      const result = await runReadOnlyQuery(acme, acmePrincipal('bob'), 'SELECT DISTINCT region FROM deals');
      expect(result).toMatchObject({ rows: [['emea']], labels: ['sales-pipeline:emea'] });
      await acme.close();
    } finally {
      await database.drop();
    }
  });
});
