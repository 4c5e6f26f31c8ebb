import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { chainRecords } from '../../audit/chain.ts';
import type { AuditRecord, ChainHead, TimedAuditEntry } from '../../audit/types.ts';
import type { StorageDatabase } from '../schema.ts';
import { measure, measureEntryFactory, measureMessageFactory, printMeasurements } from '../shared/measure-support.ts';
import { createSqliteStore } from './sqlite-store.ts';

/**
 * Latency of the store's hot paths on a WAL file database: `npx tsx src/storage/sqlite/measure-hot-paths.ts [--exclusive]`.
 * A measuring script, not a test: timings depend on the machine. Prints one line per path and,
 * last, one JSON object with the p50s in microseconds.
 */
/** Links records without hashing: isolates the store's own cost from the chain callback's. */
function linkOnly(head: ChainHead, entries: ReadonlyArray<TimedAuditEntry>): AuditRecord[] {
  let previous = head;
  return entries.map((entry) => {
    const seq = previous.seq + 1;
    const record = { ...entry, seq, prevHash: previous.hash, hash: String(seq).padStart(64, '0') };
    previous = record;
    return record;
  });
}

const directory = await mkdtemp(join(tmpdir(), 'behalf-measure-'));
const exclusive = process.argv.includes('--exclusive');
const store = await createSqliteStore({ path: join(directory, 'behalf.db'), exclusive });
try {
  for (let index = 0; index < 1000; index++) {
    await store.users.upsert({
      id: `user-${index}`,
      name: `User ${index}`,
      title: 'AE',
      groups: ['sales', 'sales-emea'],
      managerId: null,
    });
    await store.threads.create(
      { id: `thr-${index}`, title: 'Q3', ownerId: `user-${index}`, mode: 'user', agentId: null, createdAt: 0 },
      Array.from({ length: 10 }, (_, member) => `user-${(index + member) % 1000}`),
    );
  }
  const words = ['pipeline', 'vacation', 'salary', 'incident', 'renewal', 'database', 'policy', 'region'];
  for (let index = 0; index < 2000; index++) {
    const body = Array.from({ length: 80 }, (_, word) => words[(index * 7 + word * 3) % words.length]).join(' ');
    const readers = index % 10 === 0 ? ['group:sales-emea'] : [`group:team-${index % 50}`];
    await store.documents.upsert({ id: `doc-${index}`, title: `Doc ${index}`, body, label: 'public', readers });
  }
  const entry = measureEntryFactory();
  const message = measureMessageFactory(1000);

  // The same point read through Kysely, to show why the hot paths use prepared statements.
  // Not destroyed: destroying it would close the store's connection.
  const kysely = new Kysely<StorageDatabase>({ dialect: new SqliteDialect({ database: store.db }) });
  await store.runs.create({
    id: 'run-1',
    threadId: 'thr-1',
    requesterId: 'user-1',
    triggerMessageId: 'msg-1',
    mode: 'user',
    status: 'running',
    createdAt: 0,
  });
  const results = {
    usersGet: await measure(50_000, (index) => store.users.get(`user-${index % 1000}`)),
    threadsGet: await measure(50_000, (index) => store.threads.get(`thr-${index % 1000}`)),
    threadsMembers: await measure(50_000, (index) => store.threads.members(`thr-${index % 1000}`)),
    threadsIsMember: await measure(50_000, (index) => store.threads.isMember(`thr-${index % 1000}`, 'user-5')),
    usersGetViaKysely: await measure(50_000, (index) =>
      kysely
        .selectFrom('users')
        .selectAll()
        .where('id', '=', `user-${index % 1000}`)
        .executeTakeFirst(),
    ),
    runsUpdateViaKysely: await measure(20_000, (index) =>
      store.runs.update('run-1', { labels: ['public'], leaseExpiresAt: index }, ['running']),
    ),
    documentsGet: await measure(50_000, (index) => store.documents.get(`doc-${index % 2000}`)),
    messagesAppend: await measure(20_000, (index) => store.messages.append(message(index))),
    auditAppendOne: await measure(20_000, () => store.audit.appendChained([entry()], chainRecords)),
    auditAppendBatch50: await measure(1_000, () =>
      store.audit.appendChained(
        Array.from({ length: 50 }, () => entry()),
        chainRecords,
      ),
    ),
    auditAppendOneLinkOnly: await measure(20_000, () => store.audit.appendChained([entry()], linkOnly)),
    auditAppendBatch50LinkOnly: await measure(1_000, () =>
      store.audit.appendChained(
        Array.from({ length: 50 }, () => entry()),
        linkOnly,
      ),
    ),
    searchUnfiltered: await measure(2_000, () =>
      store.documents.search('renewal region', { readerPrincipals: null, limit: 10 }),
    ),
    searchFiltered10pct: await measure(2_000, () =>
      store.documents.search('renewal region', {
        readerPrincipals: ['everyone', 'user:bob', 'group:sales-emea'],
        limit: 10,
      }),
    ),
  };
  console.log(`auditAppendBatch50 per record: ${(results.auditAppendBatch50.p50 / 50).toFixed(1)} µs`);
  console.log(`auditAppendBatch50LinkOnly per record: ${(results.auditAppendBatch50LinkOnly.p50 / 50).toFixed(1)} µs`);
  printMeasurements(results);
} finally {
  await store.close();
  await rm(directory, { recursive: true, force: true });
}
