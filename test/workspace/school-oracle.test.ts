import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageItemWire, MessagesResponse, MessageWire, RunWire } from '../../src/protocol/wire.ts';
import { ok, postMessage, signIn, waitForRun } from '../support/behalf-client.ts';
import { requirePostgres } from '../support/postgres.ts';
import { type BehalfProcess, BehalfProcesses } from '../support/spawn-behalf.ts';
import { answerTable, rowSet } from './school/answer-table.ts';
import { expectedLabels, schoolLabelPatterns, schoolTableLabels } from './school/school-catalogue.ts';
import { openSchoolOnPglite, openSchoolOnPostgres, SCHOOL_DIR, type SchoolDatabase } from './school/school-database.ts';
import { clearedBySchoolRules, SCHOOL_PEOPLE, type SchoolPerson } from './school/school-people.ts';

/**
 * Issue 9, item 8: the second example (examples/school, a Supabase-style database reached with
 * the `postgrest` convention) served by `behalf serve`, on PGlite and on PostgreSQL. Each person
 * asks the offline model about every table; the rows of each answer must equal what the same
 * person reads querying the database directly under the same claims (the oracle: hand-written
 * claims, `SET LOCAL ROLE authenticated`, no Behalf code), the answer's labels must be the
 * catalogue's for those rows, and the thread sees the answer exactly when all its members are cleared.
 */

const postgres = await requirePostgres('the school example on PostgreSQL (test/workspace/school-oracle)');

const THREADS: Record<string, SchoolPerson[]> = {
  thr_staff_room: ['hana', 'omar', 'lucia', 'tomas', 'ruth'],
  thr_governors: ['hana', 'pia'],
};
const HOME: Record<SchoolPerson, string> = {
  hana: 'thr_staff_room',
  omar: 'thr_staff_room',
  lucia: 'thr_staff_room',
  tomas: 'thr_staff_room',
  ruth: 'thr_staff_room',
  pia: 'thr_governors',
};

/** Each question names one table; the offline model plans its query from the tool's table list. */
const QUESTIONS: Array<{ text: string; table: string; count?: true }> = [
  { text: '@agent list the classes', table: 'classes' },
  { text: '@agent list the students', table: 'students' },
  { text: '@agent show me the grades', table: 'grades' },
  { text: '@agent show me the pastoral concerns', table: 'pastoral_concerns' },
  { text: '@agent list the guardian contacts', table: 'guardian_contacts' },
  { text: '@agent how many grades are there?', table: 'grades', count: true },
];

const ENGINES: Array<[string, () => Promise<SchoolDatabase>]> = [
  ['PGlite', openSchoolOnPglite],
  ...(postgres ? [['PostgreSQL', openSchoolOnPostgres] as [string, () => Promise<SchoolDatabase>]] : []),
];

describe.each(ENGINES)('the school example served on %s answers each person as the database does', (engine, open) => {
  const processes = new BehalfProcesses();
  let root: string;
  let database: SchoolDatabase;
  let server: BehalfProcess;
  const tokens = {} as Record<SchoolPerson, string>;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'behalf-school-'));
    database = await open();
    server = await processes.spawn({
      name: 'school',
      dataDir: join(root, 'data'),
      env: { BEHALF_WORKSPACE: SCHOOL_DIR, ...database.serverEnv },
      readyTimeoutMs: 120_000,
    });
    for (const person of Object.keys(SCHOOL_PEOPLE) as SchoolPerson[])
      tokens[person] = await signIn(server.url, person);
  }, 180_000);
  afterAll(async () => {
    await processes.killAll();
    await database?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const messages = async (person: SchoolPerson, thread: string): Promise<MessageItemWire[]> =>
    (await ok<MessagesResponse>(server.url, tokens[person], 'GET', `/api/threads/${thread}/messages`)).messages;

  const ask = async (person: SchoolPerson, text: string): Promise<{ run: RunWire; answer: MessageWire }> => {
    const posted = await postMessage(server.url, tokens[person], HOME[person], text);
    const { run } = await waitForRun(server.url, tokens[person], posted.run?.id as string, ['done', 'failed'], {
      timeoutMs: 30_000,
    });
    expect(run.status).toBe('done');
    const answer = (await messages(person, HOME[person])).find((message) => message.id === run.answerMessageId);
    if (!answer || answer.hidden) throw new Error(`${person} cannot read their own answer to ${text}`);
    return { run, answer };
  };

  it('serves the workspace from the engine under test', () => {
    expect(server.output()).toMatch(/workspace: Linden Grove School/);
    // A postgres:// source runs no setup and says so: the server reads the oracle's database.
    if (engine === 'PostgreSQL') expect(server.output()).toMatch(/setup runs on embedded \(pglite:\) sources only/);
  });

  it.each(Object.keys(SCHOOL_PEOPLE) as SchoolPerson[])(
    "%s gets, for every table, the database's own rows and the catalogue's labels",
    async (person) => {
      const tables = await schoolTableLabels();
      const patterns = await schoolLabelPatterns();
      for (const question of QUESTIONS) {
        const { run, answer } = await ask(person, question.text);
        const sqlSteps = (run.steps ?? []).filter((step) => step.kind === 'tool-call' && step.tool === 'sql');
        expect(sqlSteps, question.text).toHaveLength(1);
        const step = sqlSteps[0] as Extract<NonNullable<RunWire['steps']>[number], { kind: 'tool-call' }>;
        expect(step.decision, question.text).toBe('allow');
        expect(answer.text, question.text).toMatch(
          /The query returned (no rows|1 row|\d+ rows)|\*\*\d+\*\* rows? match|There (is|are) \*\*[\d,]+\*\* |The count is \*\*/,
        );

        const table = answerTable(answer.text);
        if (question.count) {
          const direct = await database.direct(person, `SELECT count(*) FROM public.${question.table}`);
          expect(table?.rows, `${person}: ${question.text}`).toEqual(direct);
        } else if (table) {
          const direct = await database.direct(
            person,
            `SELECT ${table.columns.join(', ')} FROM public.${question.table}`,
          );
          expect(direct.length, `${person}: ${question.text}`).toBeGreaterThan(0);
          expect(rowSet(table.rows), `${person}: ${question.text}`).toEqual(rowSet(direct));
        } else {
          const direct = await database.direct(person, `SELECT count(*) FROM public.${question.table}`);
          expect(direct, `${person}: ${question.text} (answered with no rows)`).toEqual([['0']]);
        }

        // Labels: the catalogue's for the rows this person reads, each a catalogue id.
        const spec = tables[question.table];
        if (!spec) throw new Error(`behalf.yaml does not label ${question.table}`);
        const columns = question.count ? [] : (table?.columns ?? Object.keys(spec.columns ?? {}));
        expect(step.labels, `${person}: ${question.text}`).toEqual(
          await expectedLabels(database, person, question.table, columns, spec),
        );
        for (const label of step.labels ?? []) {
          expect(
            patterns.some((pattern) => pattern.test(label)),
            `${label} is in the catalogue`,
          ).toBe(true);
        }
        for (const label of step.labels ?? []) expect(run.labels).toContain(label);

        // Disclosure: the whole thread sees the answer exactly when every other member is cleared
        // for all its labels; otherwise nobody but the requester does.
        const others = (THREADS[HOME[person]] ?? []).filter((member) => member !== person);
        const toThread = others.every((member) =>
          (run.labels ?? []).every((label) => clearedBySchoolRules(SCHOOL_PEOPLE[member].groups, label)),
        );
        const disclosure = (run.steps ?? []).find((candidate) => candidate.kind === 'disclosure');
        expect(disclosure?.kind === 'disclosure' && disclosure.audience).toBe(toThread ? 'thread' : 'requester');
        for (const member of others) {
          const seen = (await messages(member, HOME[person])).find((message) => message.id === answer.id);
          expect(seen && !seen.hidden, `${member} sees ${person}'s answer to ${question.text}`).toBe(toThread);
          if (toThread) expect(seen && !seen.hidden ? seen.text : undefined).toBe(answer.text);
        }
      }
    },
    120_000,
  );
});
