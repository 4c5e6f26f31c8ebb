import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createScratchDatabase, requirePostgres } from '../../../test/support/postgres.ts';
import { postgresSchemaDialect } from '../postgres/postgres-schema-dialect.ts';
import { createPostgresStore } from '../postgres/postgres-store.ts';
import { sqliteSchemaDialect } from '../sqlite/sqlite-schema-dialect.ts';
import { createSqliteStore } from '../sqlite/sqlite-store.ts';
import type { Store } from '../types.ts';
import { migrateToLatest } from './migrate-to-latest.ts';
import type { SchemaDialect } from './schema-dialect.ts';
import { storageMigrations } from './storage-migrations.ts';

/**
 * Issue 9 point 2: people who existed before the user directory read back active, not
 * provisioned, with no email and no attributes, at the version they had — and the new columns
 * work at once (a userName is unique without regard to case, sessions end per user).
 */
const postgres = await requirePostgres('migration 0007 on PostgreSQL');

describe('migration 0007: the user directory', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const upToSix = (dialect: SchemaDialect) =>
    Object.fromEntries(Object.entries(storageMigrations(dialect)).filter(([name]) => name < '0007'));

  async function seedOldSchema(kysely: Kysely<unknown>): Promise<void> {
    await sql`INSERT INTO users (id, name, title, groups, manager_id, version)
              VALUES ('alice', 'Alice Chen', 'HR director', '["hr","managers"]', 'dana', 4)`.execute(kysely);
    await sql`INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
              VALUES ('h1', 'alice', 'c1', 1, 9999999999999)`.execute(kysely);
  }

  async function expectMigrated(store: Store): Promise<void> {
    expect(await store.users.get('alice')).toEqual({
      id: 'alice',
      name: 'Alice Chen',
      title: 'HR director',
      groups: ['hr', 'managers'],
      managerId: 'dana',
      email: null,
      attributes: {},
      active: true,
      userName: null,
      externalId: null,
      deletedAt: null,
      version: 4,
    });
    const adopted = await store.users.update('alice', () => ({ userName: 'Alice@Corp.example' }));
    expect(adopted?.version).toBe(5);
    expect((await store.users.findByUserName('alice@corp.example'))?.id).toBe('alice');
    expect(await store.sessions.deleteForUser('alice')).toEqual(['h1']);
    expect(await store.users.listGroups()).toEqual([]);
  }

  it('on SQLite', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'behalf-migration-'));
    cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
    const path = join(directory, 'behalf.db');
    const kysely = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(path) }) });
    await migrateToLatest(kysely, upToSix(sqliteSchemaDialect));
    await seedOldSchema(kysely);
    await kysely.destroy();
    const store = await createSqliteStore({ path });
    cleanups.push(() => store.close());
    await expectMigrated(store);
  });

  it.skipIf(!postgres)('on PostgreSQL', async () => {
    const database = await createScratchDatabase();
    cleanups.push(() => database.drop());
    const kysely = new Kysely<unknown>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 1 }) }),
    });
    await migrateToLatest(kysely, upToSix(postgresSchemaDialect));
    await seedOldSchema(kysely);
    await kysely.destroy();
    const store = await createPostgresStore({ connectionString: database.url, poolSize: 2 });
    cleanups.push(() => store.close());
    await expectMigrated(store);
  });
});
