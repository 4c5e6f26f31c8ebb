import { Kysely, PostgresDialect } from 'kysely';
import { escapeIdentifier } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeConnectorCredentialStoreConformance } from '../../../test/support/conformance/connector-credentials-store-conformance.ts';
import { describeStoreConformance } from '../../../test/support/conformance/storage/store-conformance.ts';
import {
  aMessage,
  anAuditEntry,
  aRun,
  aThread,
  aUser,
} from '../../../test/support/conformance/storage/store-fixtures.ts';
import {
  administerTestServer,
  createScratchDatabase,
  emptyAllTables,
  requirePostgres,
  type ScratchDatabase,
} from '../../../test/support/postgres.ts';
import { chainRecords } from '../../audit/chain.ts';
import { verifyChain } from '../../audit/verify.ts';
import type { AppError } from '../../protocol/errors.ts';
import { migrateToLatest, readSchemaVersion } from '../migrations/migrate-to-latest.ts';
import { storageMigrations } from '../migrations/storage-migrations.ts';
import { openStore } from '../open-store.ts';
import { openPostgresPool } from './open-postgres-pool.ts';
import { postgresSchemaDialect } from './postgres-schema-dialect.ts';
import { createPostgresStore, type PostgresStore } from './postgres-store.ts';

const postgres = await requirePostgres('PostgreSQL store tests (src/storage/postgres)');

describe.skipIf(!postgres)('PostgreSQL store', () => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await createScratchDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  // One migrated database for the file; each test starts from empty tables.
  describeStoreConformance('postgres', async () => {
    const store = await createPostgresStore({ connectionString: database.url, poolSize: 4 });
    await emptyAllTables(store.pool);
    return { store, cleanup: () => store.close() };
  });

  describeConnectorCredentialStoreConformance('postgres', async () => {
    const store = await createPostgresStore({ connectionString: database.url, poolSize: 2 });
    await emptyAllTables(store.pool);
    return { store: store.connectorCredentials, cleanup: () => store.close() };
  });

  describe('across processes (two stores, two pools, one database)', () => {
    let first: PostgresStore;
    let second: PostgresStore;
    beforeAll(async () => {
      first = await createPostgresStore({ connectionString: database.url, poolSize: 5 });
      second = await createPostgresStore({ connectionString: database.url, poolSize: 5 });
    });
    afterAll(async () => {
      await first?.close();
      await second?.close();
    });
    const reset = () => emptyAllTables(first.pool);

    it('keeps one audit chain that verifyChain accepts under concurrent appends from both', async () => {
      await reset();
      const batches = await Promise.all(
        Array.from({ length: 60 }, (_, index) =>
          (index % 2 ? first : second).audit.appendChained(
            Array.from({ length: (index % 4) + 1 }, (_, offset) => anAuditEntry(`x${index}-${offset}`)),
            chainRecords,
          ),
        ),
      );
      const total = batches.reduce((sum, batch) => sum + batch.length, 0);
      const verification = await verifyChain(second.audit, { pageSize: 37 });
      expect(verification).toEqual({ ok: true, count: total, head: (await first.audit.head()).hash });
      for (const batch of batches) {
        const seqs = batch.map((record) => record.seq);
        expect(seqs).toEqual(seqs.map((_, index) => (seqs[0] ?? 0) + index));
      }
    });

    it('detects a record edited behind the store’s back', async () => {
      await reset();
      await first.audit.appendChained([anAuditEntry('a1'), anAuditEntry('a2'), anAuditEntry('a3')], chainRecords);
      await first.pool.query("UPDATE audit_log SET decision = 'deny' WHERE seq = 2");
      expect(await verifyChain(second.audit)).toMatchObject({ ok: false, brokenAt: 2 });
    });

    it('gives concurrent appends to one thread from both stores the contiguous seqs 1..40', async () => {
      await reset();
      await first.threads.create(aThread('thr-1'), ['alice']);
      const appended = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          (index % 2 ? first : second).messages.append(aMessage(`m${index}`, 'thr-1')),
        ),
      );
      expect(appended.map((message) => message.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 40 }, (_, index) => index + 1),
      );
    });

    it('lets exactly one store win a run compare-and-set, a jti claim, a tool-call begin and an approval', async () => {
      await reset();
      await first.threads.create(aThread('thr-1'), ['alice']);
      await first.runs.create(aRun('run-1', 'thr-1'));
      await first.approvals.create({
        id: 'ap-1',
        runId: 'run-1',
        threadId: 'thr-1',
        requesterId: 'alice',
        tool: 'send-email',
        callId: 'call-1',
        args: {},
        createdAt: 0,
      });
      const both = <T>(operation: (store: PostgresStore, index: number) => Promise<T>) =>
        Promise.all(Array.from({ length: 10 }, (_, index) => operation(index % 2 ? first : second, index)));
      const runs = await both((store, index) =>
        store.runs.update('run-1', { status: 'running', leaseOwner: `w${index}` }, ['queued']),
      );
      expect(runs.filter(Boolean)).toHaveLength(1);
      expect((await both((store) => store.jtis.claim('jti-1', 1))).filter(Boolean)).toHaveLength(1);
      const intent = { callId: 'call-1', runId: 'run-1', tool: 'sql', argsHash: 'a', startedAt: 0 };
      expect((await both((store) => store.toolCalls.begin(intent))).filter(Boolean)).toHaveLength(1);
      const decisions = await both((store, index) =>
        store.approvals.decide('ap-1', { approve: true, always: false, at: index }),
      );
      expect(decisions.filter(Boolean)).toHaveLength(1);
    });

    it('bumps a thread version once per effective membership change from both stores', async () => {
      await reset();
      await first.threads.create(aThread('thr-1'), []);
      const changes = await Promise.all(
        Array.from({ length: 20 }, (_, index) => {
          const store = index % 2 ? first : second;
          const user = `user-${index % 5}`;
          return index < 10 ? store.threads.addMember('thr-1', user) : store.threads.removeMember('thr-1', user);
        }),
      );
      const effective = changes.filter(Boolean).length;
      expect((await first.threads.get('thr-1'))?.version).toBe(1 + effective);
    });
  });

  describe('migrations', () => {
    it('migrates once when several processes start on a fresh database at the same time', async () => {
      const fresh = await createScratchDatabase();
      try {
        const stores = await Promise.all(
          Array.from({ length: 4 }, () => createPostgresStore({ connectionString: fresh.url, poolSize: 2 })),
        );
        const applied = await stores[0]?.pool.query('SELECT name FROM kysely_migration ORDER BY name');
        expect(applied?.rows.map((row) => row.name)).toEqual(Object.keys(storageMigrations(postgresSchemaDialect)));
        await stores[1]?.users.upsert(aUser('alice'));
        expect(await stores[3]?.users.get('alice')).toMatchObject({ id: 'alice', version: 1 });
        await Promise.all(stores.map((store) => store.close()));
      } finally {
        await fresh.drop();
      }
    });

    it('indexes for search the documents written before the search migration', async () => {
      const fresh = await createScratchDatabase();
      try {
        const pool = openPostgresPool({ connectionString: fresh.url });
        const kysely = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
        const [core] = Object.entries(storageMigrations(postgresSchemaDialect));
        expect(await migrateToLatest(kysely, Object.fromEntries([core!]))).toEqual({ from: 0, to: 1 });
        await pool.query(
          `INSERT INTO documents VALUES ('old', 'Old memo', 'Parking rules', 'public', '["everyone"]', 1)`,
        );
        await kysely.destroy();
        const store = await createPostgresStore({ connectionString: fresh.url });
        const hits = await store.documents.search('parking', { readerPrincipals: null, limit: 5 });
        expect(hits.map((hit) => hit.id)).toEqual(['old']);
        await store.close();
      } finally {
        await fresh.drop();
      }
    });

    it('refuses a database written by a newer Behalf, and leaves it untouched', async () => {
      const supported = Object.keys(storageMigrations(postgresSchemaDialect)).length;
      const future = `${String(supported + 1).padStart(4, '0')}-from-the-future`;
      await (await createPostgresStore({ connectionString: database.url })).close();
      const pool = openPostgresPool({ connectionString: database.url });
      const kysely = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
      await pool.query('INSERT INTO kysely_migration (name, timestamp) VALUES ($1, $2)', [future, 'x']);
      try {
        await expect(createPostgresStore({ connectionString: database.url })).rejects.toMatchObject({
          code: 'internal',
          message: expect.stringContaining(`version ${supported + 1}, newer than the version ${supported}`),
        });
        expect(await readSchemaVersion(kysely)).toBe(supported + 1);
      } finally {
        // The rest of this file reuses the database.
        await pool.query('DELETE FROM kysely_migration WHERE name = $1', [future]);
        await kysely.destroy();
      }
    });
  });

  describe('connecting', () => {
    it('fails with unavailable, naming host and port but never the password, when nothing listens', async () => {
      const attempt = createPostgresStore({ connectionString: 'postgres://behalf:s3cret-pw@127.0.0.1:1/behalf' });
      await expect(attempt).rejects.toMatchObject({
        code: 'unavailable',
        message: expect.stringContaining('127.0.0.1:1'),
        data: { host: '127.0.0.1', port: 1, database: 'behalf' },
      });
      const error = await attempt.then(
        () => undefined,
        (caught: AppError) => caught,
      );
      expect(JSON.stringify({ message: error?.message, data: error?.data })).not.toContain('s3cret');
    });

    it('fails with unavailable when the database does not exist', async () => {
      const missing = new URL(database.url);
      missing.pathname = '/behalf_test_does_not_exist';
      await expect(createPostgresStore({ connectionString: missing.toString() })).rejects.toMatchObject({
        code: 'unavailable',
        message: expect.stringMatching(/behalf_test_does_not_exist.*does not exist/),
      });
    });

    it('opens PostgreSQL through openStore when given a database URL, and keeps data across reopen', async () => {
      const store = await openStore({ dataDir: '/nonexistent/never-created', databaseUrl: database.url });
      expect(store.kind).toBe('postgres');
      await emptyAllTables((store as PostgresStore).pool);
      await store.users.upsert(aUser('alice', { groups: ['hr'] }));
      await store.close();
      const again = await openStore({ dataDir: '/nonexistent/never-created', databaseUrl: database.url });
      expect(await again.users.get('alice')).toMatchObject({ groups: ['hr'], version: 1 });
      await again.close();
    });

    it('fails requests with unavailable while the database refuses connections, and recovers after', async () => {
      const outage = await createScratchDatabase();
      const name = escapeIdentifier(outage.name);
      const store = await createPostgresStore({ connectionString: outage.url, poolSize: 2, connectTimeoutMs: 2000 });
      try {
        await store.users.upsert(aUser('alice'));
        await administerTestServer(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
        await administerTestServer(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${outage.name}'`,
        );
        await expect(store.users.get('alice')).rejects.toMatchObject({
          code: 'unavailable',
          message: expect.stringContaining(`"${outage.name}" at 127.0.0.1:`),
        });
        await expect(store.audit.appendChained([anAuditEntry('a1')], chainRecords)).rejects.toMatchObject({
          code: 'unavailable',
        });
        await administerTestServer(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
        expect(await store.users.get('alice')).toMatchObject({ id: 'alice' });
        expect(await store.audit.appendChained([anAuditEntry('a1')], chainRecords)).toHaveLength(1);
        await expect(store.users.upsert(aUser('alice', { name: null as never }))).rejects.not.toMatchObject({
          code: 'unavailable',
        });
      } finally {
        await administerTestServer(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
        await store.close();
        await outage.drop();
      }
    });

    it('closes idempotently', async () => {
      const store = await createPostgresStore({ connectionString: database.url });
      await Promise.all([store.close(), store.close()]);
      await store.close();
      expect(store.pool.ended).toBe(true);
    });
  });
});
