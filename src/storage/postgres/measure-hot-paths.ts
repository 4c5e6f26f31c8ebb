import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier } from 'pg';
import { chainRecords } from '../../audit/chain.ts';
import { measure, measureEntryFactory, measureMessageFactory, printMeasurements } from '../shared/measure-support.ts';
import { createPostgresStore, type PostgresStore } from './postgres-store.ts';

/**
 * Latency of the PostgreSQL store's hot paths, on a scratch database it creates and drops:
 * `npx tsx src/storage/postgres/measure-hot-paths.ts [postgres://admin-url]` (default
 * `postgres://postgres@127.0.0.1:5432/test`). A measuring script, not a test: timings depend on
 * the machine and the server's durability settings. Prints one line per path and, last, one
 * JSON object with the p50s in microseconds.
 *
 * `unchainedInsert` is the baseline the audit chain is compared with: the same row inserted
 * durably (autocommit) with no lock, no head read and no hashing. `auditAppendTwoStores` runs
 * appends from two stores (two pools) at once, as two processes would, and reports throughput.
 */
const adminUrl = process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/test';
const name = `behalf_measure_${randomBytes(4).toString('hex')}`;
const admin = new Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${escapeIdentifier(name)}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
let store: PostgresStore | undefined;
let other: PostgresStore | undefined;
try {
  store = await createPostgresStore({ connectionString: url.toString() });
  other = await createPostgresStore({ connectionString: url.toString() });
  const measured = store;
  const entry = measureEntryFactory();
  await measured.pool.query('CREATE TABLE unchained (LIKE audit_log INCLUDING ALL)');
  for (let index = 0; index < 100; index++) {
    await measured.users.upsert({ id: `user-${index}`, name: 'U', title: 'AE', groups: ['sales'], managerId: null });
    await measured.threads.create(
      { id: `thr-${index}`, title: 'Q3', ownerId: 'user-1', mode: 'user', agentId: null, createdAt: 0 },
      ['user-1', 'user-2'],
    );
  }
  const message = measureMessageFactory(100);
  let unchainedSeq = 0;
  const results = {
    usersGet: await measure(5_000, (index) => measured.users.get(`user-${index % 100}`)),
    threadsIsMember: await measure(5_000, (index) => measured.threads.isMember(`thr-${index % 100}`, 'user-2')),
    messagesAppend: await measure(2_000, (index) => measured.messages.append(message(index))),
    unchainedInsert: await measure(2_000, () => {
      const [record] = chainRecords({ seq: unchainedSeq++, hash: '0'.repeat(64) }, [entry()]);
      const row = record as NonNullable<typeof record>;
      return measured.pool.query(
        `INSERT INTO unchained (seq, id, at, mode, action, resource, decision, policies, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [row.seq, row.id, row.at, row.mode, row.action, row.resource, row.decision, '[]', row.prevHash, row.hash],
      );
    }),
    auditAppendOne: await measure(2_000, () => measured.audit.appendChained([entry()], chainRecords)),
    auditAppendBatch50: await measure(200, () =>
      measured.audit.appendChained(
        Array.from({ length: 50 }, () => entry()),
        chainRecords,
      ),
    ),
  };
  const second = other;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async (_, worker) => {
      for (let index = 0; index < 250; index++) {
        await (worker % 2 ? measured : second).audit.appendChained([entry()], chainRecords);
      }
    }),
  );
  const perSecond = 2000 / ((performance.now() - started) / 1000);
  console.log(`auditAppendTwoStores   ${perSecond.toFixed(0)} single-record appends/s (8 concurrent writers)`);
  printMeasurements(results, { auditAppendTwoStoresPerSecond: Math.round(perSecond) });
} finally {
  await store?.close();
  await other?.close();
  await admin.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
  await admin.end();
}
