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
import type { ExampleDatabase } from '../support/example-database.ts';
import { createScriptedModel, type ScriptedPart } from '../support/models/index.ts';
import { createScratchDatabase, requirePostgres } from '../support/postgres.ts';
import { openWorkspaceDeployment, type WorkspaceDeployment } from '../support/workspace-deployment.ts';
import { ACME } from './examples/acme.ts';
import type { InvariantScenario, ThreadName } from './examples/scenario.ts';
import { SCHOOL } from './examples/school.ts';
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
 * I1–I10 on both example workspaces, the same tests for each: examples/acme (home-grown RLS
 * reached with the `settings` convention) and examples/school (Supabase-style policies reached
 * with `postgrest`), each served in-process as `behalf serve --workspace` opens it, on SQLite with
 * the embedded PGlite source and on PostgreSQL for both. What differs between the examples is
 * written out by hand in `examples/` (who plays which part, the label rules, how the oracle acts
 * as a person in the database); the oracles never go through Behalf: the database queried
 * directly as each person, and the documents' front matter read as YAML. The Acme suites beside
 * this file prove each invariant in more depth on Acme.
 */

const SCENARIOS: InvariantScenario[] = [ACME, SCHOOL];

type ToolStep = Extract<Run['steps'][number], { kind: 'tool-call' }>;

const sql = (query: string, extra: Record<string, unknown> = {}): ScriptedPart => ({
  type: 'tool-call',
  toolName: 'sql',
  input: { query, ...extra },
});
const getDocument = (id: string): ScriptedPart => ({ type: 'tool-call', toolName: 'get_document', input: { id } });

/** A model that makes `steps` (one list of calls per step), then answers `text`. */
const script = (steps: ScriptedPart[][], text = 'done') =>
  createScriptedModel((_prompt, step) => steps[step] ?? [{ type: 'text', text }]);

/** Rows of an `sql` execution as strings, in the tool's column order. */
function rowsOf(execution: Execution | undefined): string[][] {
  const rows = (execution?.output?.content as { rows?: Record<string, unknown>[] } | undefined)?.rows ?? [];
  return rows.map((row) => Object.values(row).map((value) => (value === null ? '' : String(value))));
}
const sorted = (rows: string[][]) => rows.map((row) => row.join('|')).sort();

/** Whether `text` holds `value` as a whole value: `"bonus":9000` is not in `"bonus":90000`. */
function holds(text: string, value: string): boolean {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u').test(text);
}

/** A document's front matter, read as YAML from the workspace folder (the oracle of document access). */
interface FrontMatter {
  id: string;
  labels: string[];
  readers: string[];
}
async function documentsOf(dir: string): Promise<FrontMatter[]> {
  const folder = join(dir, 'documents');
  const files = (await readdir(folder)).filter((file) => /\.(?:md|txt)$/.test(file));
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(join(folder, file), 'utf8');
      const front = parse(/^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '') as Omit<FrontMatter, 'id'>;
      return { id: file.replace(/\.(?:md|txt)$/, ''), ...front };
    }),
  );
}

/** Where the workspace runs: its source (and the oracle's database) and the store, with the settings that select them. */
interface Setup {
  oracle: ExampleDatabase;
  env: Record<string, string>;
  drop(): Promise<void>;
}

const postgres = await requirePostgres(
  'the example workspaces invariants on PostgreSQL (test/invariants/example-workspaces)',
);

function setupsFor(scenario: InvariantScenario): Array<[string, () => Promise<Setup>]> {
  const setups: Array<[string, () => Promise<Setup>]> = [
    [
      'PGlite source, SQLite store',
      async () => ({ oracle: await scenario.openOnPglite(), env: {}, drop: async () => {} }),
    ],
  ];
  if (postgres) {
    setups.push([
      'PostgreSQL source and store',
      async () => {
        const oracle = await scenario.openOnPostgres();
        const store = await createScratchDatabase(`behalf_${scenario.name}_inv_store`);
        // The run queue polls the shared store: a short interval keeps turns quick.
        return {
          oracle,
          env: { ...oracle.serverEnv, DATABASE_URL: store.url, BEHALF_RUN_POLL_MS: '50' },
          drop: store.drop,
        };
      },
    ]);
  }
  return setups;
}

const CASES = SCENARIOS.flatMap((scenario) =>
  setupsFor(scenario).map(
    ([setupName, setUp]) => [`examples/${scenario.name}, ${setupName}`, scenario, setUp] as const,
  ),
);

describe.each(CASES)('I1–I10 on %s', (_name, scenario, setUp) => {
  let setup: Setup;
  let deployment: WorkspaceDeployment;
  let oracle: ExampleDatabase;
  let tools: Instrumentation;
  let documents: FrontMatter[];
  const threadIds = {} as Record<ThreadName, string>;
  let route: (call: RecordedCall) => LanguageModelV3 = () => script([]);
  let pause: ((call: RecordedCall) => Promise<void> | undefined) | undefined;
  const model = routingModel(
    (call) => route(call),
    (call) => pause?.(call),
  );
  const runs: Run[] = [];
  const people = Object.keys(scenario.groups);
  const groupsOf = (person: string) => scenario.groups[person] ?? [];

  beforeAll(async () => {
    setup = await setUp();
    oracle = setup.oracle;
    [deployment, documents] = await Promise.all([
      openWorkspaceDeployment(scenario.dir, model, setup.env),
      documentsOf(scenario.dir),
    ]);
    tools = instrumentTools(deployment.app as unknown as InvariantApp);
    for (const [name, plan] of Object.entries(scenario.threads) as Array<
      [ThreadName, (typeof scenario.threads)[ThreadName]]
    >) {
      const thread = await deployment.app.threads.create(plan.owner, {
        title: `I1–I10 ${name}`,
        members: [...plan.members],
      });
      threadIds[name] = thread.id;
    }
  }, 180_000);
  afterAll(async () => {
    await deployment?.close();
    await oracle?.close();
    await setup?.drop();
  });

  const ask = async (person: string, thread: ThreadName, text: string) => {
    const result = await deployment.ask(person, threadIds[thread], text);
    runs.push(result.run);
    return result;
  };
  const executionsOf = (run: Run, tool?: string) =>
    tools.executions.filter((execution) => execution.runId === run.id && (!tool || execution.tool === tool));
  const toolSteps = (run: Run): ToolStep[] => run.steps.filter((step): step is ToolStep => step.kind === 'tool-call');
  const view = (reader: string, message: { id: string }) =>
    deployment.store.messages.get(message.id).then(async (stored) => {
      if (!stored) throw new Error(`no message ${message.id}`);
      return deployment.app.visibility.view(reader, stored);
    });
  /** Holds the run of `text` before its second model step, until the returned gate opens. */
  const holdSecondStep = (text: string): Gate => {
    const paused = gate();
    pause = async (call) => {
      if (call.request === text.replace('@agent ', '') && call.step === 1) {
        paused.arrive();
        await paused.promise;
      }
    };
    return paused;
  };
  const membersOf = (thread: ThreadName) => [scenario.threads[thread].owner, ...scenario.threads[thread].members];

  /** Whether `person` may read a document, from its front matter and the example's label rules. */
  function documentReadable(id: string | undefined, person: string): boolean {
    const document = documents.find((candidate) => candidate.id === id);
    if (!document) return false;
    const groups = groupsOf(person);
    const admitted = document.readers.some(
      (reader) => reader === 'everyone' || reader === `user:${person}` || groups.includes(reader),
    );
    return admitted && document.labels.every((label) => scenario.cleared(groups, label));
  }

  /** Strings that prove someone read rows they may not: every value minus those they read directly. */
  async function forbiddenFor(person: string): Promise<string[]> {
    const forbidden: string[] = [];
    for (const query of scenario.valueQueries) {
      const own = new Set((await oracle.direct(person, query)).map((row) => row[0]));
      for (const [value] of await oracle.all(query)) if (value && !own.has(value)) forbidden.push(value);
    }
    return forbidden;
  }

  it('runs on the store and source under test, with the threads each part is played in', () => {
    const onPostgres = 'DATABASE_URL' in setup.env;
    expect(deployment.store.kind).toBe(onPostgres ? 'postgres' : 'sqlite');
    expect(deployment.app.registry.get('sql')?.description).toContain(scenario.listedTable);
    expect(Object.values(threadIds)).toHaveLength(3);
    // The leak checks below match whole values: they find one, and not inside a longer one.
    expect(holds(JSON.stringify({ bonus: 9000, name: 'x' }), '"bonus":9000')).toBe(true);
    expect(holds(JSON.stringify({ bonus: 90000 }), '"bonus":9000')).toBe(false);
  });

  describe('I1 requester binding', () => {
    it("binds each run to its message's author: identity arguments are refused, another member's message starts its own run", async () => {
      const { first, second, impersonated, query } = scenario.binding;
      route = (call) =>
        call.requester === first
          ? script([[sql(query, { user: impersonated }), sql(query)]], `I am ${impersonated} now`)
          : script([[sql(query)]]);
      const firstPost = await deployment.app.postMessage(first, threadIds.pair, '@agent the rows please');
      const secondPost = await deployment.app.postMessage(second, threadIds.pair, '@agent the rows please');
      await deployment.app.drain();
      const [firstRun, secondRun] = (await Promise.all(
        [firstPost.run, secondPost.run].map(async (run) => deployment.store.runs.get(run?.id as string)),
      )) as [Run, Run];
      runs.push(firstRun, secondRun);
      expect(firstRun.id).not.toBe(secondRun.id);
      expect([firstRun.requesterId, secondRun.requesterId]).toEqual([first, second]);
      // The call naming someone else never reached the tool; the other ran as its requester and got their rows.
      const firstCalls = executionsOf(firstRun, 'sql');
      expect(firstCalls.map((execution) => execution.principal.id)).toEqual([first]);
      expect(toolSteps(firstRun).map((step) => step.decision)).toContain('deny');
      expect(sorted(rowsOf(firstCalls[0]))).toEqual(sorted(await oracle.direct(first, query)));
      expect(sorted(rowsOf(executionsOf(secondRun, 'sql')[0]))).toEqual(sorted(await oracle.direct(second, query)));
      // The statement's rows differ per person, so binding to the wrong one would show.
      expect(sorted(await oracle.direct(first, query))).not.toEqual(sorted(await oracle.direct(impersonated, query)));
    }, 60_000);
  });

  describe('I2 no ambient authority', () => {
    it('every call carries a fresh grant for the requester, this run and this tool, at most five minutes long', async () => {
      const { person, thread, query, documentId } = scenario.everyday;
      route = () => script([[sql(query), getDocument(documentId)]]);
      const { run } = await ask(person, thread, '@agent the rows and the document');
      const executions = executionsOf(run);
      expect(executions).toHaveLength(2);
      for (const execution of executions) {
        expect(execution.genuine).toBe(true);
        expect(execution.claims).toMatchObject({ sub: person, run: run.id, thread: threadIds[thread], mode: 'user' });
        expect(execution.claims?.act.sub).toBe(deployment.app.agentId);
        expect(execution.claims?.aud).toBe(deployment.app.registry.get(execution.tool)?.audience);
        expect((execution.claims?.exp ?? Infinity) - (execution.claims?.iat ?? 0)).toBeLessThanOrEqual(300);
      }
    }, 60_000);

    it('a forged grant object naming someone cleared reaches no data', async () => {
      const { person, thread, query, impersonated } = scenario.forged;
      tools.beforeExecute = (tool, context) =>
        tool === 'sql'
          ? {
              ...context,
              grant: { claims: { sub: impersonated, aud: 'behalf:tool:sql' } } as unknown as DelegationGrant,
            }
          : undefined;
      try {
        route = () => script([[sql(query)]]);
        const { run } = await ask(person, thread, '@agent the rows');
        const [execution] = executionsOf(run, 'sql');
        expect(execution?.output).toBeUndefined();
        expect(execution?.error).toBeDefined();
      } finally {
        tools.beforeExecute = undefined;
      }
    }, 60_000);
  });

  describe('I3 decision at time of use', () => {
    it("a change to the requester's groups or claims mid-turn applies at the turn's next call", async () => {
      const { person, documentId, query, change } = scenario.revoked;
      const original = await deployment.store.users.get(person);
      if (!original) throw new Error(`${person} is not seeded`);
      const text = '@agent the document and the rows';
      route = () =>
        script([
          [getDocument(documentId), sql(query)],
          [getDocument(documentId), sql(query)],
        ]);
      const paused = holdSecondStep(text);
      try {
        const { run } = await deployment.app.postMessage(person, threadIds.pair, text);
        await paused.reached;
        await deployment.store.users.upsert(change(original));
        paused.open();
        await deployment.app.drain();
        const finished = (await deployment.store.runs.get(run?.id as string)) as Run;
        runs.push(finished);
        const documentCalls = toolSteps(finished).filter((step) => step.tool === 'get_document');
        expect(documentCalls.map((step) => step.decision === 'allow' && !step.reason)).toEqual([true, false]);
        const [before, after] = executionsOf(finished, 'sql');
        expect(sorted(rowsOf(before))).toEqual(sorted(await oracle.direct(person, query)));
        expect(rowsOf(before).length).toBeGreaterThan(0);
        expect(rowsOf(after)).toEqual([]);
      } finally {
        pause = undefined;
        paused.open();
        await deployment.store.users.upsert(original);
      }
    }, 60_000);
  });

  describe('I4 context firewall', () => {
    it("another person's private answer never enters the next requester's context", async () => {
      const { person, thread, query, label, uncleared, values } = scenario.sensitive;
      route = () => script([[sql(query)]]);
      const { answer } = await ask(person, thread, '@agent the sensitive rows');
      expect(answer?.labels).toContain(label);
      const seenBefore = model.calls.length;
      route = () => script([]);
      await ask(uncleared, thread, `@agent what did ${person} find?`);
      const prompts = model.calls.slice(seenBefore).map((call) => JSON.stringify(call.options.prompt));
      expect(prompts.length).toBeGreaterThan(0);
      const own = new Set((await oracle.direct(uncleared, values)).map((row) => row[0]));
      const withheld = (await oracle.all(values)).map((row) => row[0] as string).filter((value) => !own.has(value));
      expect(withheld.length).toBeGreaterThan(0);
      for (const value of withheld) for (const prompt of prompts) expect(holds(prompt, value), value).toBe(false);
    }, 60_000);
  });

  describe('I5 disclosure control', () => {
    it('an answer some member is not cleared for goes to its requester alone, with the reason; the placeholder elsewhere', async () => {
      const { person, thread, query, label } = scenario.sensitive;
      route = () => script([[sql(query)]]);
      const { run, answer } = await ask(person, thread, '@agent the sensitive rows again');
      expect(run.labels).toContain(label);
      expect(answer?.audience).toEqual({ kind: 'users', users: [person] });
      expect(answer?.privateReason).toContain(label);
      for (const reader of membersOf(thread).filter((member) => member !== person)) {
        const seen = await view(reader, answer as { id: string });
        expect('hidden' in seen && seen.hidden, reader).toBe(true);
      }
    }, 60_000);

    it('sharing is a declassification policy decides: a steward shares, someone who is not may not', async () => {
      route = () => script([[sql(scenario.shareable.query)]]);
      const shareable = await ask(scenario.shareable.person, scenario.shareable.thread, '@agent rows to share');
      await deployment.app.sharing.share(scenario.shareable.person, shareable.answer?.id as string);
      const shared = await view(scenario.shareable.viewer, shareable.answer as { id: string });
      expect('hidden' in shared && shared.hidden).toBeFalsy();

      const { person, thread, query } = scenario.unshareable;
      route = () => script([[sql(query)]]);
      const kept = await ask(person, thread, '@agent my rows');
      expect(kept.answer?.audience).toEqual({ kind: 'users', users: [person] });
      const refusal = await deployment.app.sharing
        .share(person, kept.answer?.id as string)
        .catch((error: unknown) => error);
      expect(isAppError(refusal) && refusal.code).toBe('forbidden');
    }, 60_000);

    it("an error carries the labels of what it tried to read, so a failed query's outcome is no less labelled", async () => {
      const { person, thread, query, label } = scenario.failing;
      route = () => script([[sql(query)]]);
      const { run } = await ask(person, thread, '@agent a failing query');
      const [step] = toolSteps(run);
      expect(step?.labels).toContain(label);
      expect(run.labels).toContain(label);
    }, 60_000);
  });

  describe('I6 complete mediation and audit', () => {
    it('every tool call of every run so far has exactly one tool.call record naming its requester, and the chain verifies', async () => {
      await deployment.app.drain();
      expect(runs.length).toBeGreaterThan(5);
      for (const run of runs) {
        const records = await deployment.store.audit.query({ runId: run.id });
        const calls = records.filter((record) => record.action === 'tool.call');
        expect(calls.length, run.id).toBe(toolSteps((await deployment.store.runs.get(run.id)) as Run).length);
        expect(new Set(calls.map((record) => record.callId)).size).toBe(calls.length);
        for (const record of records) {
          if (record.runId !== run.id) continue;
          expect(record.requester).toBe(run.requesterId);
        }
        for (const record of calls) expect(record.agent).toBe(deployment.app.agentId);
      }
      expect(await verifyChain(deployment.store.audit)).toMatchObject({ ok: true });
    }, 60_000);
  });

  describe('I7 approvals belong to their giver', () => {
    it("the agent's write waits for its requester; another member's answer is refused", async () => {
      const { requester, thief } = scenario.approval;
      const executed: string[] = [];
      const recordNote: ToolDefinition = {
        name: 'record_note',
        description: 'Records a note in an external register.',
        inputSchema: z.strictObject({ note: z.string() }) as z.ZodType<unknown>,
        effect: 'write',
        audience: 'behalf:tool:record_note',
        scope: 'register:write',
        async execute(_input, context) {
          executed.push(requireGrant(deployment.app.grants, context, 'behalf:tool:record_note').subject);
          return { content: { recorded: true }, labels: ['public'] };
        },
      };
      if (!deployment.app.registry.get('record_note')) deployment.app.registry.register(recordNote);
      route = () => script([[{ type: 'tool-call', toolName: 'record_note', input: { note: 'call back tomorrow' } }]]);
      const { run } = await deployment.app.postMessage(requester, threadIds.pair, '@agent note that down');
      let approval = undefined as
        | Awaited<ReturnType<typeof deployment.store.approvals.listPending>>[number]
        | undefined;
      const deadline = Date.now() + 20_000;
      while (!approval && Date.now() < deadline) {
        approval = (await deployment.store.approvals.listPending({ runId: run?.id as string }))[0];
        if (!approval) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(approval?.requesterId).toBe(requester);
      const stolen = await deployment.app.agent.approvals
        .decide(thief, approval?.id as string, { approve: true, always: false })
        .catch((error: unknown) => error);
      expect(isAppError(stolen)).toBe(true);
      expect(executed).toEqual([]);
      await deployment.app.agent.approvals.decide(requester, approval?.id as string, { approve: true, always: false });
      await deployment.app.drain();
      runs.push((await deployment.store.runs.get(run?.id as string)) as Run);
      expect(executed).toEqual([requester]);
    }, 60_000);
  });

  describe('I8 membership', () => {
    it('a non-member cannot post or invoke the agent; removal cancels a running turn', async () => {
      const { outsider, query } = scenario.membership;
      expect(membersOf('room')).not.toContain(outsider);
      const refused = await deployment.app
        .postMessage(outsider, threadIds.room, '@agent list everything')
        .catch((error: unknown) => error);
      // A thread one is not in does not exist for them (its existence is not disclosed either).
      expect(isAppError(refused) && refused.code).toBe('not_found');
      const messages = await deployment.app.threads
        .listMessages(outsider, threadIds.room)
        .catch((error: unknown) => error);
      expect(isAppError(messages) && messages.code).toBe('not_found');

      const { owner, members } = scenario.threads.pair;
      const member = members[0] as string;
      const text = '@agent the rows twice';
      route = () => script([[sql(query)], [sql(query)]]);
      const paused = holdSecondStep(text);
      try {
        const { run } = await deployment.app.postMessage(member, threadIds.pair, text);
        await paused.reached;
        await deployment.app.threads.removeMember(owner, threadIds.pair, member);
        paused.open();
        await deployment.app.drain();
        const finished = (await deployment.store.runs.get(run?.id as string)) as Run;
        expect(finished.status).toBe('cancelled');
        expect(executionsOf(finished, 'sql')).toHaveLength(1);
      } finally {
        pause = undefined;
        paused.open();
        await deployment.app.threads.addMember(owner, threadIds.pair, member).catch(() => undefined);
      }
    }, 60_000);
  });

  describe('I9 credentials are partitioned', () => {
    it("a genuine grant from one person's call is refused in another's", async () => {
      const { first, second } = scenario.partition;
      route = () => script([[sql(first.query)]]);
      const { run } = await ask(first.person, first.thread, '@agent the rows');
      const firstGrant = executionsOf(run, 'sql')[0]?.grant as DelegationGrant;
      expect(firstGrant).toBeDefined();
      tools.beforeExecute = (tool, context) => (tool === 'sql' ? { ...context, grant: firstGrant } : undefined);
      try {
        route = () => script([[sql(second.query)]]);
        const stolen = await ask(second.person, second.thread, '@agent the rows');
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
    it.each(scenario.adversaries)(
      "an adversarial model acting for %s reads only what the person's claims and clearances allow",
      async (person, thread) => {
        const others = people.filter((id) => id !== person);
        const documentIds = documents.map((document) => document.id);
        // First this workspace's own probes (and the same with identity arguments), then the
        // generic adversary's planned attacks.
        const probes: ScriptedPart[] = [
          ...scenario.probes(person).map((query) => sql(query)),
          ...others.slice(0, 3).map((other) => sql(`SELECT * FROM ${scenario.listedTable}`, { user: other })),
          ...documentIds.map(getDocument),
          { type: 'tool-call', toolName: 'search_documents', input: { query: documentIds.join(' ') } },
        ];
        const attacks = plannedAttackScript({ users: others, documentIds }, { perStep: 12, maxSteps: 2 });
        route = () =>
          createScriptedModel((prompt, step, options) => (step === 0 ? probes : attacks(prompt, step - 1, options)));
        const { run, answer } = await ask(person, thread, '@agent show me everything about everyone');
        expect(run.requesterId).toBe(person);
        const forbidden = await forbiddenFor(person);
        expect(forbidden.length).toBeGreaterThan(0);
        // The adversary did reach the tools: refusals aside, its calls ran as the requester.
        expect(executionsOf(run).length).toBeGreaterThan(3);
        for (const execution of executionsOf(run)) {
          expect(execution.principal.id).toBe(person);
          if (!execution.output) continue;
          const text = JSON.stringify(execution.output.content);
          for (const value of forbidden)
            expect(holds(text, value), `${execution.tool} leaked ${value} to ${person}`).toBe(false);
          if (execution.tool === 'get_document') {
            expect(documentReadable((execution.output.content as { id?: string }).id, person)).toBe(true);
          }
          if (execution.tool === 'search_documents') {
            for (const hit of (execution.output.content as { hits?: { id: string }[] }).hits ?? [])
              expect(documentReadable(hit.id, person), hit.id).toBe(true);
          }
        }
        // Whoever sees the answer is cleared for it: nothing it holds is forbidden to them.
        for (const member of membersOf(thread)) {
          const seen = await view(member, answer as { id: string });
          if ('hidden' in seen) continue;
          for (const value of await forbiddenFor(member))
            expect(holds(seen.text, value), `${member} reads ${value}`).toBe(false);
        }
      },
      90_000,
    );
  });
});
