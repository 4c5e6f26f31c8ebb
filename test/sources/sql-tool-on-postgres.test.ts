import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineModel } from '../../src/agent/model/offline-model.ts';
import { buildEngine, type Engine } from '../../src/app/build-engine.ts';
import { verifyChain } from '../../src/audit/verify.ts';
import type { SqlDataSource } from '../../src/sources/types.ts';
import { createSqliteStore, type SqliteStore } from '../../src/storage/index.ts';
import type { Message } from '../../src/threads/types.ts';
import { acmeActions } from '../support/acme/acme-source.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { seedAcme } from '../support/acme/seed-demo.ts';
import { type AcmeUnderTest, postgresAcme, TEST_LOGIN_ROLE } from '../support/conformance/sources/acme-fixtures.ts';
import { requirePostgres } from '../support/postgres.ts';

const postgres = await requirePostgres('the sql tool end to end on PostgreSQL (test/sources)');

// The same run as `src/app/engine-flow.test.ts` on PGlite, with the Acme source on a real server.
describe.skipIf(!postgres)('the sql tool end to end on a real PostgreSQL', () => {
  // A superuser login is refused by the workspace path (production's rule), so only the login runs.
  for (const login of [TEST_LOGIN_ROLE]) {
    describe(`connected as ${login}`, () => {
      let acme: AcmeUnderTest;
      let store: SqliteStore;
      let app: Engine;
      /** Transactions the engine ran on the PostgreSQL source. */
      let transactions = 0;
      beforeAll(async () => {
        acme = await postgresAcme()();
        const counted: SqlDataSource = {
          ...acme.source,
          transaction: (fn, options) => {
            transactions += 1;
            return acme.source.transaction(fn, options);
          },
        };
        store = await createSqliteStore({ path: ':memory:' });
        app = await buildEngine({
          store,
          sqlSources: [{ source: counted, toolName: 'sql', sourceName: 'acme', actions: await acmeActions() }],
          model: createOfflineModel(),
        });
        await seedAcme(store, app.audit, app.clock);
      });
      afterAll(async () => {
        await app?.drain();
        await store?.close();
        await acme?.close();
      });

      async function ask(user: string, text: string): Promise<Message> {
        const { run } = await app.postMessage(user, ACME_THREAD.id, text);
        if (!run) throw new Error('no run');
        await app.drain();
        const finished = await store.runs.get(run.id);
        expect(finished?.status, finished?.error ?? '').toBe('done');
        return (await store.messages.get(finished?.answerMessageId as string)) as Message;
      }

      it('bob asks for the open deals and gets EMEA only, labelled sales-pipeline:emea', async () => {
        const before = transactions;
        const answer = await ask('bob', '@agent show me the open deals');
        expect(transactions).toBeGreaterThan(before);
        expect(answer.requesterId).toBe('bob');
        expect(answer.labels.filter((label) => label !== 'public')).toEqual(['sales-pipeline:emea']);
        expect(answer.audience).toEqual({ kind: 'users', users: ['bob'] });
        expect(answer.text).toMatch(/emea/i);
        expect(answer.text).not.toMatch(/\bapac\b|\bamer\b/i);
        const queries = await store.audit.query({ action: 'data.query' });
        expect(queries.at(-1)).toMatchObject({ requester: 'bob', decision: 'allow' });
        expect(queries.at(-1)?.labels?.filter((label) => label !== 'public')).toEqual(['sales-pipeline:emea']);
      });

      it('alice asks for salaries: hr-confidential, private to her', async () => {
        const answer = await ask('alice', '@agent what are the salaries?');
        expect(answer.labels).toContain('hr-confidential');
        expect(answer.audience).toEqual({ kind: 'users', users: ['alice'] });
      });

      it('audits every step in a chain that verifies', async () => {
        const records = await store.audit.query({ action: 'tool.call' });
        for (const record of records) expect(['alice', 'bob']).toContain(record.requester);
        expect(await verifyChain(store.audit)).toMatchObject({ ok: true });
      });
    });
  }
});
