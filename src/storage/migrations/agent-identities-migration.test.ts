import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteSchemaDialect } from '../sqlite/sqlite-schema-dialect.ts';
import { createSqliteStore } from '../sqlite/sqlite-store.ts';
import { migrateToLatest } from './migrate-to-latest.ts';
import { storageMigrations } from './storage-migrations.ts';

/**
 * Issue 7 point 2: a thread owner could give a self-authorized agent any groups. Existing
 * self-authorized threads migrate safely — to user mode, with no identity — and the groups an
 * owner invented are gone.
 */
describe('migration 0004: agent identities', () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  it('moves self-authorized threads with invented groups to user mode, with no identity and a new version', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'behalf-migration-'));
    directories.push(directory);
    const path = join(directory, 'behalf.db');
    const before = storageMigrations(sqliteSchemaDialect);
    const upToThree = Object.fromEntries(Object.entries(before).filter(([name]) => name < '0004'));
    const kysely = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(path) }) });
    await migrateToLatest(kysely, upToThree);
    await sql`INSERT INTO threads (id, title, owner_id, mode, agent_groups, created_at, version)
              VALUES ('thr-self', 'Self', 'alice', 'self', '["hr","finance"]', 1, 3),
                     ('thr-user', 'User', 'bob', 'user', '[]', 1, 1)`.execute(kysely);
    await kysely.destroy();

    const store = await createSqliteStore({ path });
    try {
      expect(await store.threads.get('thr-self')).toMatchObject({ mode: 'user', agentId: null, version: 4 });
      expect(await store.threads.get('thr-user')).toMatchObject({ mode: 'user', agentId: null, version: 1 });
      expect(await store.agents.list()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
