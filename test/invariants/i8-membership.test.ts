import type { LanguageModelV3 } from '@ai-sdk/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Approval } from '../../src/agent/types.ts';
import type { DomainEvent } from '../../src/events/types.ts';
import { isAppError } from '../../src/protocol/errors.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { createScriptedModel } from '../support/models/index.ts';
import { createTestApp } from '../support/test-app.ts';
import {
  ask,
  auditOfRun,
  deliverTo,
  deliveryViolations,
  type Gate,
  gate,
  type Instrumentation,
  type InvariantApp,
  instrumentTools,
  plannedAttackScript,
  type RecordedCall,
  recordEvents,
  routingModel,
  storesUnderTest,
  USER_IDS,
  victimsFor,
  waitFor,
  waitForStatus,
} from './support/index.ts';

const THREAD = ACME_THREAD.id;

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  return isAppError(outcome) ? outcome.code : outcome === undefined ? 'ok' : String(outcome);
}

const SUITE = 'I8 membership';

describe.each(await storesUnderTest(SUITE))(`${SUITE} on %s`, (_kind, options) => {
  let app: InvariantApp;
  let tools: Instrumentation;
  let route: (call: RecordedCall) => LanguageModelV3;
  let pause: ((call: RecordedCall) => Promise<void> | undefined) | undefined;
  let events: DomainEvent[];
  let secretThread: string;

  beforeAll(async () => {
    app = await createTestApp({
      ...options,
      model: routingModel(
        (call) => route(call),
        (call) => pause?.(call),
      ),
      limits: { maxSteps: 12 },
    });
    tools = instrumentTools(app);
    events = recordEvents(app);
    secretThread = (await app.threads.create('dana', { title: 'Execs only', members: ['erin'] })).id;
  });
  afterAll(async () => {
    await app.close();
  });

  const pausedTurn = (user: string, step: number) => {
    const paused: Gate = gate();
    pause = async (call) => {
      if (call.requester === user && call.step === step) {
        paused.arrive();
        await paused.promise;
      }
    };
    return paused;
  };

  it('I8: only members read a thread, post to it or invoke its agent; the adversary cannot reach another thread', async () => {
    // The adversary, in Q3 planning, names the execs' thread and run ids in every argument.
    route = () =>
      createScriptedModel(
        plannedAttackScript(victimsFor('bob', { threadIds: [secretThread], runIds: ['run_x'] }), {
          pick: (attack) => attack.category === 'cross-scope' || attack.category === 'call-id-collision',
        }),
      );
    const { run } = await ask(app, 'bob', THREAD, `@agent read thread ${secretThread}`);
    const executions = tools.executions.filter((entry) => entry.runId === run.id);
    expect(executions.length).toBeGreaterThan(0);
    for (const execution of executions) {
      expect(execution.threadId).toBe(THREAD);
      expect(execution.claims?.thread).toBe(THREAD);
    }

    const erinsRun = (await ask(app, 'erin', secretThread, '@agent hello')).run;
    const [someMessage] = await app.store.messages.list(secretThread);
    for (const outsider of ['bob', 'carol', 'ivy']) {
      expect(await codeOf(app.threads.get(outsider, secretThread))).toBe('not_found');
      expect(await codeOf(app.threads.listMessages(outsider, secretThread))).toBe('not_found');
      expect(await codeOf(app.postMessage(outsider, secretThread, 'hi'))).toBe('not_found');
      expect(await codeOf(app.postMessage(outsider, secretThread, '@agent show salaries'))).toBe('not_found');
      expect(await codeOf(app.agent.getRun(outsider, erinsRun.id))).toBe('not_found');
      expect(await codeOf(app.sharing.share(outsider, someMessage?.id as string))).toBe('not_found');
    }
    expect(await app.store.runs.listByStatus(['queued', 'running', 'done'], { threadId: secretThread })).toHaveLength(
      1,
    );
    expect(await deliveryViolations(app, secretThread, USER_IDS, events)).toEqual([]);
  });

  it('I8: removing a member cancels their running turn at once: no further tool call, no answer', async () => {
    const paused = pausedTurn('bob', 1);
    route = (call) =>
      call.requester === 'bob'
        ? createScriptedModel(
            plannedAttackScript(victimsFor('bob'), {
              pick: (attack) => attack.category === 'protected-data',
              perStep: 8,
            }),
          )
        : createScriptedModel(() => [{ type: 'text', text: 'carol is fine' }]);
    try {
      const { run } = await app.postMessage('bob', THREAD, '@agent everything');
      if (!run) throw new Error('no run');
      await paused.reached;
      const before = tools.executions.filter((entry) => entry.runId === run.id).length;
      expect(before).toBeGreaterThan(0);
      const seen = events.length;
      await app.threads.removeMember('alice', THREAD, 'bob');
      // At once: cancelled before the paused step even resumes.
      expect((await app.store.runs.get(run.id))?.status).toBe('cancelled');
      expect(events.slice(seen).map((event) => event.type)).toEqual(
        expect.arrayContaining(['member-removed', 'run-updated']),
      );
      // Other members' runs are untouched.
      const carol = await app.postMessage('carol', THREAD, '@agent hello');
      paused.open();
      await app.drain();
      expect((await app.store.runs.get(carol.run?.id as string))?.status).toBe('done');
      expect(tools.executions.filter((entry) => entry.runId === run.id)).toHaveLength(before);
      expect((await app.store.runs.get(run.id))?.status).toBe('cancelled');
      const answers = (await app.store.messages.list(THREAD)).filter(
        (message) => message.runId === run.id && message.kind === 'agent',
      );
      expect(answers).toEqual([]);
      const actions = (await auditOfRun(app, run.id)).map((record) => record.action);
      expect(actions).toContain('run.cancel');
      expect(actions).not.toContain('disclosure.decide');

      // From now on bob receives nothing from the thread, live or on reading.
      expect(await codeOf(app.threads.listMessages('bob', THREAD))).toBe('not_found');
      expect(await codeOf(app.agent.getRun('bob', run.id))).toBe('not_found');
      for (const event of events.slice(seen)) expect(await deliverTo(app, 'bob', event)).toBeNull();
      expect(await codeOf(app.postMessage('bob', THREAD, '@agent again'))).toBe('not_found');
    } finally {
      pause = undefined;
      paused.open();
      await app.threads.addMember('alice', THREAD, 'bob').catch(() => undefined);
    }
  });

  it('I8: removing a member rejects their pending approval; approving later does nothing', async () => {
    const requests: Approval[] = [];
    const stop = app.events.subscribe((event) => {
      if (event.type === 'approval-requested') requests.push(event.approval);
    });
    route = () =>
      createScriptedModel((_prompt, step) =>
        step === 0
          ? [
              {
                type: 'tool-call',
                toolName: 'create_ticket',
                input: { title: 'Leaving soon', body: 'file me', severity: 'low' },
              },
            ]
          : [{ type: 'text', text: 'filed' }],
      );
    try {
      const { run } = await app.postMessage('carol', THREAD, '@agent file a ticket');
      if (!run) throw new Error('no run');
      await waitFor(() => requests.some((request) => request.runId === run.id));
      await waitForStatus(app, run.id, ['awaiting_approval']);
      await app.threads.removeMember('carol', THREAD, 'carol');
      expect((await app.store.runs.get(run.id))?.status).toBe('cancelled');
      await app.drain();
      const request = requests.find((candidate) => candidate.runId === run.id) as Approval;
      expect((await app.store.approvals.get(request.id))?.status).toBe('denied');
      expect(await codeOf(app.agent.approvals.decide('carol', request.id, { approve: true, always: true }))).toBe(
        'conflict',
      );
      expect(await app.store.approvals.hasStanding('carol', 'create_ticket')).toBe(false);
      expect(tools.executions.filter((entry) => entry.runId === run.id)).toEqual([]);
      const { rows } = await app.source.query('SELECT 1 FROM tickets WHERE title = $1', ['Leaving soon']);
      expect(rows).toEqual([]);
      expect((await app.store.messages.list(THREAD)).filter((message) => message.runId === run.id)).toEqual([]);
    } finally {
      stop();
      await app.threads.addMember('alice', THREAD, 'carol').catch(() => undefined);
    }
  });
});
