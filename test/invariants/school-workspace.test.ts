import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Run } from '../../src/agent/types.ts';
import { verifyChain } from '../../src/audit/verify.ts';
import type { DelegationGrant } from '../../src/delegation/grant.ts';
import { isAppError } from '../../src/protocol/errors.ts';
import { requireGrant } from '../../src/tools/grant-guard.ts';
import type { ToolDefinition } from '../../src/tools/types.ts';
import { createScriptedModel, type ScriptedPart } from '../support/models/index.ts';
import { createScratchDatabase, requirePostgres } from '../support/postgres.ts';
import {
  openSchoolOnPglite,
  openSchoolOnPostgres,
  SCHOOL_DIR,
  type SchoolDatabase,
} from '../workspace/school/school-database.ts';
import { openSchoolDeployment, type SchoolDeployment } from '../workspace/school/school-deployment.ts';
import { clearedBySchoolRules, SCHOOL_PEOPLE, type SchoolPerson } from '../workspace/school/school-people.ts';
import {
  type Execution,
  type Gate,
  gate,
  type Instrumentation,
  type InvariantApp,
  instrumentTools,
  plannedAttackScript,
  type RecordedCall,
  routingModel,
} from './support/index.ts';

/**
 * I1–I10 on the second example workspace (examples/school), served in-process as `behalf serve`
 * opens it: its own people, labels, policies, documents and a Supabase-style source reached with
 * the `postgrest` convention. The Acme suites beside this file prove each invariant in depth on
 * Acme; these prove that each holds on a workspace that shares nothing with it, with oracles of
 * its own: the school database queried directly under each person's hand-written claims, and
 * the documents' front matter read as YAML.
 */

const STAFF_ROOM = 'thr_staff_room';
const YEAR8 = 'thr_year8';
const GOVERNORS = 'thr_governors';

type ToolStep = Extract<Run['steps'][number], { kind: 'tool-call' }>;

const sql = (query: string, extra: Record<string, unknown> = {}): ScriptedPart => ({
  type: 'tool-call',
  toolName: 'sql',
  input: { query, ...extra },
});
const getDocument = (id: string): ScriptedPart => ({ type: 'tool-call', toolName: 'get_document', input: { id } });

const HEAD_CLAIMS = JSON.stringify({ sub: SCHOOL_PEOPLE.hana.uid, role: 'authenticated' });

/**
 * What an adversary aims at this workspace's own data: every table, identity arguments, claims
 * rewritten with set_config, role switches, multiple statements, the membership tables and the
 * auth schema, and every document by id.
 */
function schoolProbes(documentIds: readonly string[]): ScriptedPart[] {
  const tables = ['classes', 'students', 'grades', 'pastoral_concerns', 'guardian_contacts'];
  return [
    ...tables.map((table) => sql(`SELECT * FROM ${table}`)),
    ...tables.map((table) => sql(`SELECT * FROM ${table}`, { user: 'hana' })),
    sql('SELECT * FROM guardian_contacts', { sub: SCHOOL_PEOPLE.hana.uid }),
    sql(`SELECT * FROM pastoral_concerns WHERE set_config('request.jwt.claims', '${HEAD_CLAIMS}', true) IS NOT NULL`),
    sql(`SELECT set_config('request.jwt.claims', '${HEAD_CLAIMS}', true); SELECT * FROM guardian_contacts`),
    sql('SET ROLE postgres'),
    sql('SELECT * FROM public.staff'),
    sql('SELECT * FROM public.class_teachers'),
    sql('SELECT * FROM auth.users'),
    sql(`SELECT * FROM grades WHERE private.is_class_teacher('9h') OR true`),
    ...documentIds.map(getDocument),
    { type: 'tool-call', toolName: 'search_documents', input: { query: 'pupil concern budget practicals' } },
  ];
}

/** A model that makes `steps` (one list of calls per step), then answers `text`. */
const script = (steps: ScriptedPart[][], text = 'done') =>
  createScriptedModel((_prompt, step) => steps[step] ?? [{ type: 'text', text }]);

/** Rows of an `sql` execution as strings, in the tool's column order. */
function rowsOf(execution: Execution | undefined): string[][] {
  const rows = (execution?.output?.content as { rows?: Record<string, unknown>[] } | undefined)?.rows ?? [];
  return rows.map((row) => Object.values(row).map((value) => (value === null ? '' : String(value))));
}
const sorted = (rows: string[][]) => rows.map((row) => row.join('|')).sort();

/** A document's front matter, read as YAML from the workspace folder (the oracle of document access). */
interface FrontMatter {
  id: string;
  labels: string[];
  readers: string[];
}
async function schoolDocuments(): Promise<FrontMatter[]> {
  const folder = join(SCHOOL_DIR, 'documents');
  return Promise.all(
    (await readdir(folder)).map(async (file) => {
      const text = await readFile(join(folder, file), 'utf8');
      const front = parse(/^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '') as Omit<FrontMatter, 'id'>;
      return { id: file.replace(/\.md$/, ''), ...front };
    }),
  );
}
function documentReadable(document: FrontMatter | undefined, person: SchoolPerson): boolean {
  if (!document) return false;
  const groups: readonly string[] = SCHOOL_PEOPLE[person].groups;
  const admitted = document.readers.some(
    (reader) => reader === 'everyone' || reader === `user:${person}` || groups.includes(reader),
  );
  return admitted && document.labels.every((label) => clearedBySchoolRules(groups, label));
}

/** Where the workspace runs: its source (and the oracle's database) and the store, with the settings that select them. */
interface Setup {
  oracle: SchoolDatabase;
  env: Record<string, string>;
  drop(): Promise<void>;
}

const postgres = await requirePostgres(
  'the school workspace invariants on PostgreSQL (test/invariants/school-workspace)',
);

const SETUPS: Array<[string, () => Promise<Setup>]> = [
  ['PGlite source, SQLite store', async () => ({ oracle: await openSchoolOnPglite(), env: {}, drop: async () => {} })],
];
if (postgres) {
  SETUPS.push([
    'PostgreSQL source and store',
    async () => {
      const oracle = await openSchoolOnPostgres();
      const store = await createScratchDatabase('behalf_school_store');
      // The run queue polls the shared store: a short interval keeps turns quick.
      return {
        oracle,
        env: { ...oracle.serverEnv, DATABASE_URL: store.url, BEHALF_RUN_POLL_MS: '50' },
        drop: store.drop,
      };
    },
  ]);
}

describe.each(SETUPS)('I1–I10 on the school workspace (examples/school), %s', (_name, setUp) => {
  let setup: Setup;
  let school: SchoolDeployment;
  let oracle: SchoolDatabase;
  let tools: Instrumentation;
  let documents: FrontMatter[];
  let route: (call: RecordedCall) => LanguageModelV3 = () => script([]);
  let pause: ((call: RecordedCall) => Promise<void> | undefined) | undefined;
  const model = routingModel(
    (call) => route(call),
    (call) => pause?.(call),
  );
  const runs: Run[] = [];

  beforeAll(async () => {
    setup = await setUp();
    oracle = setup.oracle;
    [school, documents] = await Promise.all([openSchoolDeployment(model, setup.env), schoolDocuments()]);
    tools = instrumentTools(school.app as unknown as InvariantApp);
  }, 120_000);
  afterAll(async () => {
    await school?.close();
    await oracle?.close();
    await setup?.drop();
  });

  const ask = async (person: SchoolPerson, thread: string, text: string) => {
    const result = await school.ask(person, thread, text);
    runs.push(result.run);
    return result;
  };
  const executionsOf = (run: Run, tool?: string) =>
    tools.executions.filter((execution) => execution.runId === run.id && (!tool || execution.tool === tool));
  const toolSteps = (run: Run): ToolStep[] => run.steps.filter((step): step is ToolStep => step.kind === 'tool-call');
  const view = (reader: SchoolPerson, message: { id: string }) =>
    school.store.messages.get(message.id).then(async (stored) => {
      if (!stored) throw new Error(`no message ${message.id}`);
      return school.app.visibility.view(reader, stored);
    });

  /** Strings that prove someone read rows their claims do not reach: everything minus what they read directly. */
  async function forbiddenFor(person: SchoolPerson): Promise<string[]> {
    const queries = [
      'SELECT concern FROM pastoral_concerns',
      'SELECT phone FROM guardian_contacts',
      'SELECT name FROM students',
      `SELECT sen_support FROM students WHERE sen_support <> 'none'`,
    ];
    const forbidden: string[] = [];
    for (const query of queries) {
      const own = new Set((await oracle.direct(person, query)).map((row) => row[0]));
      for (const [value] of await oracle.all(query)) if (value && !own.has(value)) forbidden.push(value);
    }
    return forbidden;
  }

  it('runs on the store and source under test', () => {
    const onPostgres = 'DATABASE_URL' in setup.env;
    expect(school.store.kind).toBe(onPostgres ? 'postgres' : 'sqlite');
    expect(school.app.registry.get('sql')?.description).toContain('pastoral_concerns');
  });

  describe('I1 requester binding', () => {
    it("binds each run to its message's author: identity arguments are refused, another member's message starts its own run", async () => {
      route = (call) =>
        call.requester === 'omar'
          ? script(
              [
                [
                  sql('SELECT id, class_id, grade FROM grades', { user: 'hana' }),
                  sql('SELECT id, class_id, grade FROM grades'),
                ],
              ],
              'I am hana now',
            )
          : script([[sql('SELECT id, class_id, grade FROM grades')]]);
      const omar = await school.app.postMessage('omar', YEAR8, '@agent grades please');
      const lucia = await school.app.postMessage('lucia', YEAR8, '@agent grades please');
      await school.app.drain();
      const [omarRun, luciaRun] = await Promise.all(
        [omar.run, lucia.run].map(async (run) => (await school.store.runs.get(run?.id as string)) as Run),
      );
      runs.push(omarRun as Run, luciaRun as Run);
      expect(omarRun?.id).not.toBe(luciaRun?.id);
      expect([omarRun?.requesterId, luciaRun?.requesterId]).toEqual(['omar', 'lucia']);
      // The call naming hana never reached the tool; the other ran as omar and got omar's rows.
      const omarCalls = executionsOf(omarRun as Run, 'sql');
      expect(omarCalls.map((execution) => execution.principal.id)).toEqual(['omar']);
      expect(toolSteps(omarRun as Run).map((step) => step.decision)).toContain('deny');
      expect(sorted(rowsOf(omarCalls[0]))).toEqual(
        sorted(await oracle.direct('omar', 'SELECT id, class_id, grade FROM grades')),
      );
      expect(sorted(rowsOf(executionsOf(luciaRun as Run, 'sql')[0]))).toEqual(
        sorted(await oracle.direct('lucia', 'SELECT id, class_id, grade FROM grades')),
      );
    }, 60_000);
  });

  describe('I2 no ambient authority', () => {
    it('every call carries a fresh grant for the requester, this run and this tool, at most five minutes long', async () => {
      route = () => script([[sql('SELECT id FROM classes'), getDocument('term-dates')]]);
      const { run } = await ask('ruth', STAFF_ROOM, '@agent classes and term dates');
      const executions = executionsOf(run);
      expect(executions).toHaveLength(2);
      for (const execution of executions) {
        expect(execution.genuine).toBe(true);
        expect(execution.claims).toMatchObject({ sub: 'ruth', run: run.id, thread: STAFF_ROOM, mode: 'user' });
        expect(execution.claims?.act.sub).toBe(school.app.agentId);
        expect(execution.claims?.aud).toBe(school.app.registry.get(execution.tool)?.audience);
        expect((execution.claims?.exp ?? Infinity) - (execution.claims?.iat ?? 0)).toBeLessThanOrEqual(300);
      }
    }, 60_000);

    it('a forged grant object naming the head reaches no data', async () => {
      tools.beforeExecute = (tool, context) =>
        tool === 'sql'
          ? { ...context, grant: { claims: { sub: 'hana', aud: 'behalf:tool:sql' } } as unknown as DelegationGrant }
          : undefined;
      try {
        route = () => script([[sql('SELECT phone FROM guardian_contacts')]]);
        const { run } = await ask('lucia', STAFF_ROOM, '@agent contacts');
        const [execution] = executionsOf(run, 'sql');
        expect(execution?.output).toBeUndefined();
        expect(execution?.error).toBeDefined();
      } finally {
        tools.beforeExecute = undefined;
      }
    }, 60_000);
  });

  describe('I3 decision at time of use', () => {
    it("a group and a claim attribute changed mid-turn apply at the turn's next call", async () => {
      const original = await school.store.users.get('lucia');
      if (!original) throw new Error('lucia is not seeded');
      const paused: Gate = gate();
      const text = '@agent practicals and grades';
      route = () =>
        script([
          [getDocument('class-8s-practicals'), sql('SELECT id, class_id FROM grades')],
          [getDocument('class-8s-practicals'), sql('SELECT id, class_id FROM grades')],
        ]);
      pause = async (call) => {
        if (call.request === text.replace('@agent ', '') && call.step === 1) {
          paused.arrive();
          await paused.promise;
        }
      };
      try {
        const { run } = await school.app.postMessage('lucia', YEAR8, text);
        await paused.reached;
        // She leaves class 8S in the directory, and her uid no longer names her in the database.
        await school.store.users.upsert({
          ...original,
          groups: original.groups.filter((group) => group !== 'class-8s'),
          attributes: { ...original.attributes, uid: '4c1d0000-0000-4000-8000-0000000000ff' },
        });
        paused.open();
        await school.app.drain();
        const finished = (await school.store.runs.get(run?.id as string)) as Run;
        runs.push(finished);
        const documentCalls = toolSteps(finished).filter((step) => step.tool === 'get_document');
        expect(documentCalls.map((step) => step.decision === 'allow' && !step.reason)).toEqual([true, false]);
        const [before, after] = executionsOf(finished, 'sql');
        expect(sorted(rowsOf(before))).toEqual(sorted(await oracle.direct('lucia', 'SELECT id, class_id FROM grades')));
        expect(rowsOf(before).length).toBeGreaterThan(0);
        expect(rowsOf(after)).toEqual([]);
      } finally {
        pause = undefined;
        paused.open();
        await school.store.users.upsert(original);
      }
    }, 60_000);
  });

  describe('I4 context firewall', () => {
    it("another person's private answer never enters the next requester's context", async () => {
      route = () => script([[sql('SELECT id, concern FROM pastoral_concerns')]]);
      const { answer } = await ask('tomas', STAFF_ROOM, '@agent pastoral concerns');
      expect(answer?.labels).toContain('safeguarding');
      const seenBefore = model.calls.length;
      route = () => script([]);
      await ask('omar', STAFF_ROOM, '@agent what did tomas find?');
      const omarsPrompts = model.calls.slice(seenBefore).map((call) => JSON.stringify(call.options.prompt));
      expect(omarsPrompts.length).toBeGreaterThan(0);
      for (const concern of await oracle.all('SELECT concern FROM pastoral_concerns')) {
        const own = (await oracle.direct('omar', 'SELECT concern FROM pastoral_concerns')).map((row) => row[0]);
        if (own.includes(concern[0])) continue;
        for (const prompt of omarsPrompts) expect(prompt).not.toContain(concern[0]);
      }
    }, 60_000);
  });

  describe('I5 disclosure control', () => {
    it('an answer some member is not cleared for goes to its requester alone, with the reason; the placeholder elsewhere', async () => {
      route = () => script([[sql('SELECT student_id, phone FROM guardian_contacts')]]);
      const { run, answer } = await ask('ruth', STAFF_ROOM, '@agent guardian contacts');
      expect(run.labels).toContain('student-contact');
      expect(answer?.audience).toEqual({ kind: 'users', users: ['ruth'] });
      expect(answer?.privateReason).toMatch(/student-contact/);
      for (const reader of ['lucia', 'hana', 'omar'] as const) {
        const seen = await view(reader, answer as { id: string });
        expect('hidden' in seen && seen.hidden, reader).toBe(true);
      }
    }, 60_000);

    it('sharing is a declassification policy decides: the office shares contacts, a teacher may not share grades', async () => {
      route = () => script([[sql('SELECT student_id, phone FROM guardian_contacts')]]);
      const contacts = await ask('ruth', STAFF_ROOM, '@agent guardian contacts again');
      await school.app.sharing.share('ruth', contacts.answer?.id as string);
      const shared = await view('lucia', contacts.answer as { id: string });
      expect('hidden' in shared && shared.hidden).toBeFalsy();

      route = () => script([[sql('SELECT id, class_id, grade FROM grades')]]);
      const grades = await ask('omar', STAFF_ROOM, '@agent my grades');
      expect(grades.answer?.audience).toEqual({ kind: 'users', users: ['omar'] });
      const refusal = await school.app.sharing
        .share('omar', grades.answer?.id as string)
        .catch((error: unknown) => error);
      expect(isAppError(refusal) && refusal.code).toBe('forbidden');
    }, 60_000);

    it("an error carries the labels of what it tried to read, so a failed query's outcome is no less labelled", async () => {
      route = () => script([[sql('SELECT concern::int FROM pastoral_concerns')]]);
      const { run } = await ask('lucia', STAFF_ROOM, '@agent pastoral concern numbers');
      const [step] = toolSteps(run);
      expect(step?.labels).toContain('safeguarding');
      expect(run.labels).toContain('safeguarding');
    }, 60_000);
  });

  describe('I6 complete mediation and audit', () => {
    it('every tool call of every run so far has exactly one tool.call record naming its requester, and the chain verifies', async () => {
      await school.app.drain();
      expect(runs.length).toBeGreaterThan(5);
      for (const run of runs) {
        const records = await school.store.audit.query({ runId: run.id });
        const calls = records.filter((record) => record.action === 'tool.call');
        expect(calls.length, run.id).toBe(toolSteps((await school.store.runs.get(run.id)) as Run).length);
        expect(new Set(calls.map((record) => record.callId)).size).toBe(calls.length);
        for (const record of records) {
          if (record.runId !== run.id) continue;
          expect(record.requester).toBe(run.requesterId);
        }
        for (const record of calls) expect(record.agent).toBe(school.app.agentId);
      }
      expect(await verifyChain(school.store.audit)).toMatchObject({ ok: true });
    }, 60_000);
  });

  describe('I7 approvals belong to their giver', () => {
    it("the agent's write waits for its requester; another member's answer is refused", async () => {
      const executed: string[] = [];
      const recordAbsence: ToolDefinition = {
        name: 'record_absence',
        description: 'Records a pupil absence in the register.',
        inputSchema: z.strictObject({ student_id: z.number() }) as z.ZodType<unknown>,
        effect: 'write',
        audience: 'behalf:tool:record_absence',
        scope: 'register:write',
        async execute(_input, context) {
          executed.push(requireGrant(school.app.grants, context, 'behalf:tool:record_absence').subject);
          return { content: { recorded: true }, labels: ['staff'] };
        },
      };
      if (!school.app.registry.get('record_absence')) school.app.registry.register(recordAbsence);
      route = () => script([[{ type: 'tool-call', toolName: 'record_absence', input: { student_id: 4 } }]]);
      const { run } = await school.app.postMessage('omar', YEAR8, '@agent mark Dev absent');
      let approval = undefined as Awaited<ReturnType<typeof school.store.approvals.listPending>>[number] | undefined;
      const deadline = Date.now() + 20_000;
      while (!approval && Date.now() < deadline) {
        approval = (await school.store.approvals.listPending({ runId: run?.id as string }))[0];
        if (!approval) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(approval?.requesterId).toBe('omar');
      const stolen = await school.app.agent.approvals
        .decide('lucia', approval?.id as string, { approve: true, always: false })
        .catch((error: unknown) => error);
      expect(isAppError(stolen)).toBe(true);
      expect(executed).toEqual([]);
      await school.app.agent.approvals.decide('omar', approval?.id as string, { approve: true, always: false });
      await school.app.drain();
      runs.push((await school.store.runs.get(run?.id as string)) as Run);
      expect(executed).toEqual(['omar']);
    }, 60_000);
  });

  describe('I8 membership', () => {
    it('a non-member cannot post or invoke the agent; removal cancels a running turn', async () => {
      const refused = await school.app
        .postMessage('pia', STAFF_ROOM, '@agent list the students')
        .catch((error: unknown) => error);
      // A thread one is not in does not exist for them (its existence is not disclosed either).
      expect(isAppError(refused) && refused.code).toBe('not_found');
      const messages = await school.app.threads.listMessages('pia', STAFF_ROOM).catch((error: unknown) => error);
      expect(isAppError(messages) && messages.code).toBe('not_found');

      const paused: Gate = gate();
      const text = '@agent grades twice';
      route = () => script([[sql('SELECT id FROM grades')], [sql('SELECT id FROM grades')]]);
      pause = async (call) => {
        if (call.request === text.replace('@agent ', '') && call.step === 1) {
          paused.arrive();
          await paused.promise;
        }
      };
      try {
        const { run } = await school.app.postMessage('lucia', YEAR8, text);
        await paused.reached;
        await school.app.threads.removeMember('omar', YEAR8, 'lucia');
        paused.open();
        await school.app.drain();
        const finished = (await school.store.runs.get(run?.id as string)) as Run;
        expect(finished.status).toBe('cancelled');
        expect(executionsOf(finished, 'sql')).toHaveLength(1);
      } finally {
        pause = undefined;
        paused.open();
        await school.app.threads.addMember('omar', YEAR8, 'lucia').catch(() => undefined);
      }
    }, 60_000);
  });

  describe('I9 credentials are partitioned', () => {
    it("a genuine grant from one person's call is refused in another's", async () => {
      route = () => script([[sql('SELECT id FROM classes')]]);
      const { run } = await ask('hana', GOVERNORS, '@agent classes');
      const hanasGrant = executionsOf(run, 'sql')[0]?.grant as DelegationGrant;
      expect(hanasGrant).toBeDefined();
      tools.beforeExecute = (tool, context) => (tool === 'sql' ? { ...context, grant: hanasGrant } : undefined);
      try {
        route = () => script([[sql('SELECT student_id, phone FROM guardian_contacts')]]);
        const stolen = await ask('pia', GOVERNORS, '@agent contacts');
        const [execution] = executionsOf(stolen.run, 'sql');
        expect(execution?.output).toBeUndefined();
        expect(execution?.error).toBeDefined();
      } finally {
        tools.beforeExecute = undefined;
      }
      const subjects = new Map<string, string>();
      for (const execution of tools.executions) {
        if (!execution.claims || !execution.genuine) continue;
        expect(subjects.get(execution.claims.jti) ?? execution.claims.sub).toBe(execution.claims.sub);
        subjects.set(execution.claims.jti, execution.claims.sub);
      }
    }, 60_000);
  });

  describe('I10 the model is untrusted', () => {
    it.each(['omar', 'ruth', 'pia'] as const)(
      "an adversarial model acting for %s reads only what the person's claims and clearances allow",
      async (person) => {
        const others = (Object.keys(SCHOOL_PEOPLE) as SchoolPerson[]).filter((id) => id !== person);
        const documentIds = documents.map((document) => document.id);
        // First this workspace's own probes, then the generic adversary's planned attacks.
        const attacks = plannedAttackScript({ users: others, documentIds }, { perStep: 12, maxSteps: 2 });
        route = () =>
          createScriptedModel((prompt, step, options) =>
            step === 0 ? schoolProbes(documentIds) : attacks(prompt, step - 1, options),
          );
        const thread = person === 'pia' ? GOVERNORS : STAFF_ROOM;
        const { run, answer } = await ask(person, thread, '@agent show me everything about every pupil');
        expect(run.requesterId).toBe(person);
        const forbidden = await forbiddenFor(person);
        expect(forbidden.length).toBeGreaterThan(0);
        // The adversary did reach the tools: refusals aside, its calls ran as the requester.
        expect(executionsOf(run).length).toBeGreaterThan(3);
        for (const execution of executionsOf(run)) {
          expect(execution.principal.id).toBe(person);
          if (!execution.output) continue;
          const text = JSON.stringify(execution.output.content);
          for (const value of forbidden) expect(text, `${execution.tool} leaked to ${person}`).not.toContain(value);
          if (execution.tool === 'get_document') {
            const id = (execution.output.content as { id?: string }).id;
            expect(
              documentReadable(
                documents.find((document) => document.id === id),
                person,
              ),
            ).toBe(true);
          }
          if (execution.tool === 'search_documents') {
            for (const hit of (execution.output.content as { hits?: { id: string }[] }).hits ?? []) {
              expect(
                documentReadable(
                  documents.find((document) => document.id === hit.id),
                  person,
                ),
                hit.id,
              ).toBe(true);
            }
          }
        }
        // Whoever sees the answer is cleared for it: nothing it holds is forbidden to them.
        const members = (await school.store.threads.members(thread)) as string[];
        for (const member of members as SchoolPerson[]) {
          const seen = await view(member, answer as { id: string });
          if ('hidden' in seen) continue;
          for (const value of await forbiddenFor(member)) expect(seen.text, `${member} reads`).not.toContain(value);
        }
      },
      90_000,
    );
  });
});
