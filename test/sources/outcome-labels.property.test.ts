import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_USERS } from '../support/acme/demo.ts';
import { acmePrincipal, visibleDealRegions } from '../support/acme-visibility-oracle.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Issue 7 point 1, as a property (SPEC I5): for any statement touching a labelled table, whatever
 * its outcome — rows, an error quoting a value, an error that depends on a value, a refusal — the
 * answer's labels include that table's labels for the requester (or `unclassified`, which nobody
 * is cleared for, when the statement's plan cannot be read).
 */

/** Tables, a numeric and a text column each, and the labels they carry for a requester. */
const TABLES = {
  compensation: { number: 'salary', text: 'employee_id', labelsFor: () => ['hr-confidential'] },
  incidents: { number: 'severity', text: 'title', labelsFor: () => ['engineering-internal'] },
  deals: {
    number: 'amount',
    text: 'account',
    labelsFor: (user: string) =>
      [...visibleDealRegions(acmePrincipal(user))].map((region) => `sales-pipeline:${region}`),
  },
} as const;
type TableName = keyof typeof TABLES;

/** Expressions over one row, most of them failing for some values: casts, divisions, jsonb. */
const expression = fc.constantFrom(
  (t: (typeof TABLES)[TableName]) => t.number,
  (t: (typeof TABLES)[TableName]) => `${t.number}::text::date`,
  (t: (typeof TABLES)[TableName]) => `${t.text}::int`,
  (t: (typeof TABLES)[TableName]) => `${t.text}::numeric`,
  (t: (typeof TABLES)[TableName]) => `${t.text}::jsonb`,
  (t: (typeof TABLES)[TableName]) => `('x' || ${t.number})::int`,
  (t: (typeof TABLES)[TableName]) => `1 / (${t.number}::int - ${t.number}::int)`,
  (t: (typeof TABLES)[TableName]) => `CASE WHEN ${t.number}::text > '5' THEN 1 / 0 + ${t.number}::int ELSE 1 END`,
  (t: (typeof TABLES)[TableName]) => `sum(${t.number}::int)`,
);

const statement = fc
  .record({
    table: fc.constantFrom(...(Object.keys(TABLES) as TableName[])),
    expression,
    where: fc.constantFrom('', ' WHERE true', ' LIMIT 1', " WHERE length('a') = 1"),
    join: fc.boolean(),
    broken: fc.boolean(),
  })
  .map(({ table, expression, where, join, broken }) => {
    const from = join ? `${table} CROSS JOIN (SELECT 1 AS one) AS extra` : table;
    const text = `SELECT ${expression(TABLES[table])} FROM ${from}${where}`;
    return { table, text: broken ? `${text} WHERE WHERE` : text, broken };
  });

describe('outcome labels, property (issue 7.1)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
  }, 60_000);
  afterAll(() => app.close());

  it('for any statement touching a labelled table, whatever its outcome, the answer’s labels include the table’s labels', async () => {
    const outcomes = new Set<string>();
    let checkedLabels = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ACME_USERS.map((user) => user.id)),
        statement,
        async (requester, { table, text, broken }) => {
          // A fresh thread per statement: earlier answers in the context would add their labels.
          const other = requester === 'carol' ? 'bob' : 'carol';
          const { id: threadId } = await app.threads.create(requester, { title: 'probe', members: [other] });
          const { run } = await app.postMessage(requester, threadId, `@agent /sql ${text}`);
          await app.drain();
          const done = await app.store.runs.get(run?.id as string);
          const step = done?.steps.find((candidate) => candidate.kind === 'tool-call');
          if (step?.kind !== 'tool-call') throw new Error('no sql call');
          outcomes.add(step.decision);
          const labels = done?.labels ?? [];
          if (broken || labels.includes('unclassified')) {
            expect(labels).toContain('unclassified');
            return;
          }
          checkedLabels += 1;
          for (const label of TABLES[table].labelsFor(requester)) expect(labels, text).toContain(label);
          const answer = done?.answerMessageId ? await app.store.messages.get(done.answerMessageId) : undefined;
          for (const label of TABLES[table].labelsFor(requester)) expect(answer?.labels, text).toContain(label);
        },
      ),
      { numRuns: 60, seed: Number(process.env.FC_SEED ?? Date.now() % 100_000) },
    );
    // The generator reaches both sides: statements that succeed and statements that fail.
    expect(outcomes).toContain('allow');
    expect(outcomes).toContain('error');
    expect(checkedLabels).toBeGreaterThan(10);
  }, 120_000);
});
