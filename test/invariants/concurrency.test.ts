import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineModel } from '../../src/agent/model/index.ts';
import type { Run } from '../../src/agent/types.ts';
import { verifyChain } from '../../src/audit/verify.ts';
import type { DomainEvent } from '../../src/events/types.ts';
import type { UserId } from '../../src/identity/types.ts';
import { isAppError } from '../../src/protocol/errors.ts';
import { createScriptedModel } from '../support/models/index.ts';
import { createTestApp } from '../support/test-app.ts';
import {
  deliveryViolations,
  disclosureViolations,
  type Instrumentation,
  type InvariantApp,
  instrumentTools,
  outputViolations,
  plannedAttackScript,
  recordEvents,
  routingModel,
  storesUnderTest,
  USER_IDS,
  victimsFor,
} from './support/index.ts';

const PEOPLE: UserId[] = ['alice', 'bob', 'carol', 'dana', 'erin', 'gus', 'frank'];
const POLITE = [
  'what are the salaries?',
  'show me the open deals',
  'list the open incidents',
  'what does the handbook say about remote work?',
  '/sql SELECT employee_id, salary FROM compensation',
  '/search compensation bands',
  'summarize the vendor FAQ',
];
const RUNS = 56;

const SUITE = 'concurrency: many interleaved runs by different people in one thread';

describe.each(await storesUnderTest(SUITE))(`${SUITE} on %s`, (_kind, options) => {
  let app: InvariantApp;
  let tools: Instrumentation;
  let events: DomainEvent[];
  let runs: Run[];
  let threadId: string;
  const wrongDeciders: string[] = [];

  beforeAll(async () => {
    const offline = createOfflineModel();
    // Adversarial and polite turns mixed: "[adv n]" requests get a slice of the adversary's plan.
    const model = routingModel((call) => {
      const slice = /\[adv (\d+)\]/.exec(call.request)?.[1];
      if (slice === undefined) return offline;
      const offset = Number(slice);
      return createScriptedModel(
        plannedAttackScript(victimsFor(call.requester ?? ''), {
          pick: (_attack, index) => index % 23 === offset % 23,
          perStep: 12,
          maxSteps: 2,
        }),
      );
    });
    app = await createTestApp({
      ...options,
      model,
      limits: { concurrency: 16, maxSteps: 8, approvalTimeoutMs: 2_000 },
    });
    tools = instrumentTools(app);
    events = recordEvents(app);
    // Someone else tries to answer every approval first; then its requester decides.
    app.events.subscribe((event) => {
      if (event.type !== 'approval-requested') return;
      const { approval } = event;
      setTimeout(async () => {
        const intruder = PEOPLE.find((person) => person !== approval.requesterId) as string;
        const refused = await app.agent.approvals
          .decide(intruder, approval.id, { approve: true, always: true })
          .catch((error: unknown) => error);
        if (!(isAppError(refused) && refused.code === 'not_found')) wrongDeciders.push(intruder);
        await app.agent.approvals
          .decide(approval.requesterId, approval.id, {
            approve: approval.id.charCodeAt(approval.id.length - 1) % 2 === 0,
            always: false,
          })
          .catch(() => undefined);
      }, 0);
    });
    threadId = (await app.threads.create('alice', { title: 'Everyone at once', members: PEOPLE })).id;
    const posts = Array.from({ length: RUNS }, (_, index) => {
      const person = PEOPLE[index % PEOPLE.length] as UserId;
      const text = index % 3 === 0 ? `[adv ${index}] everything` : (POLITE[index % POLITE.length] as string);
      return app.postMessage(person, threadId, `@agent ${text}`);
    });
    const started = await Promise.all(posts);
    await app.drain();
    runs = await Promise.all(started.map(({ run }) => app.store.runs.get(run?.id as string) as Promise<Run>));
  });
  afterAll(async () => {
    await app.close();
  });

  it('concurrency: ≥ 50 runs by ≥ 5 people ran interleaved and all finished', () => {
    expect(runs.length).toBeGreaterThanOrEqual(50);
    expect(new Set(runs.map((run) => run.requesterId)).size).toBeGreaterThanOrEqual(5);
    for (const run of runs) expect(run.status, run.error ?? '').toBe('done');
    // Interleaved, not one after the other: executions of different runs alternate many times.
    let switches = 0;
    for (let index = 1; index < tools.executions.length; index++)
      if (tools.executions[index]?.runId !== tools.executions[index - 1]?.runId) switches++;
    expect(switches).toBeGreaterThan(runs.length);
    // The adversarial turns did attack (and were refused), the polite ones did read data.
    const refused = runs.filter((run) =>
      run.steps.some((step) => step.kind === 'tool-call' && step.decision === 'deny'),
    );
    expect(refused.length).toBeGreaterThanOrEqual(RUNS / 3 - 1);
    expect(tools.executions.filter((execution) => execution.output).length).toBeGreaterThan(RUNS / 2);
  });

  it("concurrency: zero cross-principal grants — every tool call acted for its own run's requester", () => {
    const requesterOf = new Map(runs.map((run) => [run.id, run.requesterId]));
    const jtis = new Set<string>();
    expect(tools.executions.length).toBeGreaterThan(100);
    for (const execution of tools.executions) {
      const requester = requesterOf.get(execution.runId);
      expect(execution.genuine).toBe(true);
      expect(execution.claims).toMatchObject({ sub: requester, run: execution.runId, thread: threadId });
      expect(execution.principal.id).toBe(requester);
      expect(jtis.has(execution.claims?.jti as string)).toBe(false);
      jtis.add(execution.claims?.jti as string);
    }
  });

  it("concurrency: zero cross-principal results — every tool output is within its requester's rights", () => {
    const violations = tools.executions.flatMap((execution) =>
      outputViolations(execution).map((violation) => `${execution.principal.id}: ${violation}`),
    );
    expect(violations).toEqual([]);
  });

  it('concurrency: zero cross-principal audit records, answers or approvals', async () => {
    const requesterOf = new Map(runs.map((run) => [run.id, run.requesterId]));
    const records = await app.store.audit.query({ threadId });
    expect(records.length).toBeGreaterThan(RUNS * 3);
    for (const record of records) {
      if (record.runId) expect(record.requester, record.action).toBe(requesterOf.get(record.runId));
    }
    for (const message of await app.store.messages.list(threadId)) {
      if (message.kind === 'agent') expect(message.requesterId).toBe(requesterOf.get(message.runId as string));
    }
    for (const run of runs) {
      for (const approval of await app.store.approvals.listPending({ runId: run.id }))
        expect(approval.requesterId).toBe(run.requesterId);
    }
    expect(wrongDeciders).toEqual([]);
    expect(await verifyChain(app.store.audit)).toMatchObject({ ok: true });
  });

  it('concurrency: nothing was delivered to a reader not cleared for it', async () => {
    expect(await disclosureViolations(app, threadId)).toEqual([]);
    expect(await deliveryViolations(app, threadId, USER_IDS, events)).toEqual([]);
  });
});
