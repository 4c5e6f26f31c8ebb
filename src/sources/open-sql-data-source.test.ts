import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createScratchDatabase, requirePostgres } from '../../test/support/postgres.ts';
import { openSqlDataSource, parseDataSourceUrl, redactDataSourceUrl } from './open-sql-data-source.ts';
import { createPgliteSource } from './pglite-source.ts';

const postgres = await requirePostgres('opening data sources by postgres:// URL');

describe('data sources named by URL', () => {
  it('reads pglite:memory, relative and absolute pglite: directories, and postgres URLs', () => {
    expect(parseDataSourceUrl('pglite:memory')).toEqual({ engine: 'pglite', dataDir: undefined });
    expect(parseDataSourceUrl('pglite:data/crm-pg', '/srv/behalf')).toEqual({
      engine: 'pglite',
      dataDir: '/srv/behalf/data/crm-pg',
    });
    expect(parseDataSourceUrl('pglite:/var/lib/crm', '/srv')).toEqual({ engine: 'pglite', dataDir: '/var/lib/crm' });
    expect(parseDataSourceUrl('pglite:///var/lib/crm', '/srv')).toEqual({
      engine: 'pglite',
      dataDir: '/var/lib/crm',
    });
    for (const url of ['postgres://app@db/crm', 'postgresql://app:pw@db:5433/crm?sslmode=require']) {
      expect(parseDataSourceUrl(url)).toEqual({ engine: 'postgres', connectionString: url });
    }
  });

  it('refuses other schemes and an empty pglite path, without echoing the URL', () => {
    expect(() => parseDataSourceUrl('mysql://root:hunter2@db/crm')).toThrow(
      /unsupported data source URL scheme mysql:/,
    );
    expect(() => parseDataSourceUrl('mysql://root:hunter2@db/crm')).not.toThrow(/hunter2/);
    expect(() => parseDataSourceUrl('/var/lib/crm')).toThrow(/scheme \(none\)/);
    expect(() => parseDataSourceUrl('pglite:')).toThrow(/needs a directory/);
  });

  it('redacts the password of a postgres URL for logs', () => {
    expect(redactDataSourceUrl('postgres://behalf_app:s3cret@db:5432/crm')).toBe(
      'postgres://behalf_app:***@db:5432/crm',
    );
    expect(redactDataSourceUrl('pglite:memory')).toBe('pglite:memory');
  });

  it('opens a pglite: directory relative to the base directory', async () => {
    const baseDir = await mkdtemp(join(tmpdir(), 'behalf-url-'));
    try {
      const filled = await createPgliteSource({ dataDir: join(baseDir, 'crm-pg') });
      await filled.exec(`CREATE TABLE regions (name text); INSERT INTO regions VALUES ('emea');`);
      await filled.close();
      const source = await openSqlDataSource('pglite:crm-pg', { baseDir });
      expect((await source.query('SELECT name FROM regions')).rows).toEqual([{ name: 'emea' }]);
      await source.close();
    } finally {
      await rm(baseDir, { recursive: true, force: true });
    }
  });

  it.skipIf(!postgres)('opens a postgres:// URL as it is', async () => {
    const database = await createScratchDatabase('behalf_url');
    try {
      const plain = await openSqlDataSource(database.url, { poolSize: 2 });
      expect((await plain.query('SELECT to_regclass($1) AS found', ['employees'])).rows).toEqual([{ found: null }]);
      await plain.close();
    } finally {
      await database.drop();
    }
  });
});
