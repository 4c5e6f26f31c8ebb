import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeStoreConformance } from '../../../test/support/conformance/storage/store-conformance.ts';
import { anAuditEntry, aUser, sha256Chain } from '../../../test/support/conformance/storage/store-fixtures.ts';
import { migrateToLatest, readSchemaVersion } from '../migrations/migrate-to-latest.ts';
import { storageMigrations, versionOfMigration } from '../migrations/storage-migrations.ts';
import { openStore } from '../open-store.ts';
import { openSqliteDatabase } from './open-sqlite-database.ts';
import { sqliteSchemaDialect } from './sqlite-schema-dialect.ts';
import { createSqliteStore } from './sqlite-store.ts';

// The schema version this build migrates to, and a migration name from a newer build.
const LATEST_VERSION = Math.max(...Object.keys(storageMigrations(sqliteSchemaDialect)).map(versionOfMigration));
const FUTURE_MIGRATION = `${String(LATEST_VERSION + 1).padStart(4, '0')}-from-the-future`;

describeStoreConformance('sqlite (file)', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'behalf-store-'));
  const store = await createSqliteStore({ path: join(directory, 'behalf.db') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
});

describeStoreConformance('sqlite (file, exclusive lock)', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'behalf-store-'));
  const store = await createSqliteStore({ path: join(directory, 'behalf.db'), exclusive: true });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
});

describeStoreConformance('sqlite (:memory:)', async () => {
  const store = await createSqliteStore({ path: ':memory:' });
  return { store, cleanup: () => store.close() };
});

describe('SQLite store', () => {
  let directory: string;
  let path: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'behalf-sqlite-'));
    path = join(directory, 'behalf.db');
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const schemaVersionOf = async (file: string) => {
    const kysely = new Kysely<unknown>({ dialect: new SqliteDialect({ database: openSqliteDatabase(file) }) });
    try {
      return await readSchemaVersion(kysely);
    } finally {
      await kysely.destroy();
    }
  };

  it('runs in WAL mode with foreign keys, NORMAL sync and a busy timeout', async () => {
    const store = await createSqliteStore({ path });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    await store.close();
  });

  it('records the schema version of a fresh database', async () => {
    const store = await createSqliteStore({ path });
    const names = store.db.prepare('SELECT name FROM kysely_migration ORDER BY name').pluck().all();
    expect(names).toEqual(Object.keys(storageMigrations(sqliteSchemaDialect)));
    await store.close();
    expect(await schemaVersionOf(path)).toBe(LATEST_VERSION);
  });

  it('keeps data across a close and reopen', async () => {
    const first = await createSqliteStore({ path });
    await first.users.upsert(aUser('alice', { groups: ['hr', 'managers'] }));
    await first.documents.upsert({
      id: 'd1',
      title: 'Handbook',
      body: 'Vacation policy',
      label: 'public',
      readers: ['everyone'],
    });
    const [record] = await first.audit.appendChained([anAuditEntry('a1')], sha256Chain);
    await first.close();

    const second = await createSqliteStore({ path });
    expect(await second.users.get('alice')).toMatchObject({ groups: ['hr', 'managers'], version: 1 });
    expect(await second.documents.search('vacation', { readerPrincipals: ['everyone'], limit: 5 })).toHaveLength(1);
    expect(await second.audit.head()).toEqual({ seq: 1, hash: record?.hash });
    await second.close();
  });

  it('migrates an older database forward, indexing the documents it already had', async () => {
    const [core] = Object.entries(storageMigrations(sqliteSchemaDialect));
    const kysely = new Kysely<unknown>({ dialect: new SqliteDialect({ database: openSqliteDatabase(path) }) });
    expect(await migrateToLatest(kysely, Object.fromEntries([core!]))).toEqual({ from: 0, to: 1 });
    await kysely.destroy();
    const legacy = openSqliteDatabase(path);
    legacy
      .prepare("INSERT INTO documents VALUES ('old', 'Old memo', 'Parking rules', 'public', '[\"everyone\"]', 1)")
      .run();
    legacy.close();

    const store = await createSqliteStore({ path });
    const hits = await store.documents.search('parking', { readerPrincipals: null, limit: 5 });
    expect(hits.map((hit) => hit.id)).toEqual(['old']);
    await store.close();
    expect(await schemaVersionOf(path)).toBe(LATEST_VERSION);
  });

  it('refuses a database written by a newer Behalf, and leaves it untouched', async () => {
    const store = await createSqliteStore({ path });
    store.db.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)').run(FUTURE_MIGRATION, 'x');
    await store.close();
    await expect(createSqliteStore({ path })).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringContaining(`version ${LATEST_VERSION + 1}, newer than the version ${LATEST_VERSION}`),
    });
    expect(await schemaVersionOf(path)).toBe(LATEST_VERSION + 1);
  });

  it('keeps one linear audit chain with two connections appending to one file', async () => {
    const first = await createSqliteStore({ path });
    const second = await createSqliteStore({ path });
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        (index % 2 ? first : second).audit.appendChained([anAuditEntry(`r${index}`)], sha256Chain),
      ),
    );
    const records = await first.audit.scan(0, 100);
    expect(records.map((record) => record.seq)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    records.forEach((record, index) => {
      if (index > 0) expect(record.prevHash).toBe(records[index - 1]?.hash);
    });
    await first.close();
    await second.close();
  });

  it('exposes the connection, so tests can tamper with the audit table', async () => {
    const store = await createSqliteStore({ path });
    await store.audit.appendChained([anAuditEntry('a1')], sha256Chain);
    store.db.prepare("UPDATE audit_log SET decision = 'deny' WHERE seq = 1").run();
    expect((await store.audit.scan(0, 1))[0]?.decision).toBe('deny');
    await store.close();
  });

  it('keeps other connections out of an exclusive store until it closes', async () => {
    const store = await createSqliteStore({ path, exclusive: true });
    const intruder = new Database(path, { timeout: 0 });
    expect(() => intruder.prepare('SELECT count(*) FROM users').get()).toThrow(/locked|busy/i);
    await store.close();
    expect(intruder.prepare('SELECT count(*) AS count FROM users').get()).toEqual({ count: 0 });
    intruder.close();
  });

  it('closes idempotently', async () => {
    const store = await createSqliteStore({ path });
    await store.close();
    await store.close();
    expect(store.db.open).toBe(false);
  });

  it('opens <dataDir>/behalf.db through openStore, creating the directory', async () => {
    const dataDir = join(directory, 'nested', 'data');
    const store = await openStore({ dataDir });
    expect(store.kind).toBe('sqlite');
    await store.users.upsert(aUser('alice'));
    await store.close();
    expect(await readdir(dataDir)).toContain('behalf.db');
  });
});
