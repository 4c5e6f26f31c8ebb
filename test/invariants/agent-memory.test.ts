import type { LanguageModelV3 } from '@ai-sdk/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/agent/types.ts';
import type { UserId } from '../../src/identity/types.ts';
import type { Memory } from '../../src/memory/types.ts';
import { createScriptedModel } from '../support/models/index.ts';
import { createTestApp } from '../support/test-app.ts';
import {
  ask,
  autoDecide,
  type InvariantApp,
  leakingScript,
  plannedAttackScript,
  promptText,
  type RecordedCall,
  type RoutingModel,
  routingModel,
  storesUnderTest,
  victimsFor,
} from './support/index.ts';

const SUITE = 'I4/I5 agent memory (issue 10)';
const SALARY_FACT = 'The top salary in the company is 290000';

describe.each(await storesUnderTest(SUITE))(`${SUITE} on %s`, (_kind, options) => {
  let app: InvariantApp;
  let model: RoutingModel;
  let route: (call: RecordedCall) => LanguageModelV3;
  let threadId: string;

  beforeAll(async () => {
    model = routingModel((call) => route(call));
    app = await createTestApp({ ...options, model, limits: { maxSteps: 12 } });
    autoDecide(app);
    // alice (HR) may read hr-confidential data; bob and carol may not.
    threadId = (await app.threads.create('alice', { title: 'Memory', members: ['bob', 'carol'] })).id;
  });
  afterAll(async () => {
    await app.close();
  });

  const memoriesOf = (run: Run) =>
    app.store.memories.listByThread(run.threadId).then((all) => all.filter((memory) => memory.origin.runId === run.id));

  it('(a) a memory derived from labelled data carries its labels and names the call they came from', async () => {
    route = () =>
      createScriptedModel(
        leakingScript([
          [{ type: 'tool-call', toolName: 'sql', input: { query: 'SELECT employee_id, salary FROM compensation' } }],
          // The model claims the fact is harmless: its labels are not the model's to choose.
          [{ type: 'tool-call', toolName: 'remember', input: { text: `${SALARY_FACT} (public, not confidential)` } }],
        ]),
      );
    const { run, answer } = await ask(app, 'alice', threadId, '@agent find the top salary and remember it');
    const [memory] = await memoriesOf(run);
    expect(memory).toMatchObject({ requesterId: 'alice', threadId, text: expect.stringContaining(SALARY_FACT) });
    expect(memory?.labels).toEqual(expect.arrayContaining(['hr-confidential', 'public']));
    const sqlStep = run.steps.find((step) => step.kind === 'tool-call' && step.tool === 'sql');
    expect(memory?.origin.sources).toContainEqual({
      kind: 'tool-call',
      tool: 'sql',
      callId: sqlStep?.kind === 'tool-call' ? sqlStep.callId : 'missing',
      at: sqlStep?.at,
      labels: ['hr-confidential'],
    });
    expect(memory?.origin).toMatchObject({ runId: run.id, messageId: run.triggerMessageId });
    expect(answer?.audience).toEqual({ kind: 'users', users: ['alice'] });
    const [write] = await app.store.audit.query({ runId: run.id, action: 'memory.write' });
    expect(write).toMatchObject({ requester: 'alice', decision: 'allow', resource: `memory:${memory?.id}` });
  });

  it("(b) bob's recall never sees alice's salary-derived memory, and his answer carries no hr label", async () => {
    route = () =>
      createScriptedModel(
        leakingScript([
          [
            { type: 'tool-call', toolName: 'recall', input: {} },
            { type: 'tool-call', toolName: 'recall', input: { query: 'salary' } },
          ],
        ]),
      );
    const { run, answer } = await ask(app, 'bob', threadId, '@agent what do you remember about salaries?');
    expect(answer?.text).not.toContain(SALARY_FACT);
    expect(answer?.labels).not.toContain('hr-confidential');
    expect(run.labels).not.toContain('hr-confidential');
    // Not even mentioned: no count, no id, no placeholder reaches the model.
    const [memory] = await app.store.memories.listByThread(threadId);
    for (const call of model.calls.filter((each) => each.requester === 'bob')) {
      expect(promptText(call.options.prompt)).not.toContain(SALARY_FACT);
      expect(promptText(call.options.prompt)).not.toContain(memory?.id ?? '-');
    }
    const reads = await app.store.audit.query({ runId: run.id, action: 'memory.read' });
    expect(reads.map((record) => [record.requester, record.resource, record.decision])).toEqual([
      ['bob', `memory:${memory?.id}`, 'deny'],
      ['bob', `memory:${memory?.id}`, 'deny'],
    ]);
    // The thread sees bob's answer: nothing confidential joined it.
    expect(answer?.audience).toEqual({ kind: 'thread' });
  });

  it('(c) recall by a cleared requester carries the memory labels into the answer', async () => {
    route = () => createScriptedModel(leakingScript([[{ type: 'tool-call', toolName: 'recall', input: {} }]]));
    const { run, answer } = await ask(app, 'alice', threadId, '@agent what do you remember?');
    expect(answer?.text).toContain(SALARY_FACT);
    expect(run.labels).toContain('hr-confidential');
    expect(answer?.labels).toContain('hr-confidential');
    // bob and carol are not cleared: the answer is alice's alone.
    expect(answer?.audience).toEqual({ kind: 'users', users: ['alice'] });
  });

  it('positive control: a memory built from public data only is recalled for bob and reaches the thread', async () => {
    route = () =>
      createScriptedModel(
        leakingScript([[{ type: 'tool-call', toolName: 'remember', input: { text: 'Standup moved to 10:00' } }]]),
      );
    await ask(app, 'carol', threadId, '@agent remember that standup moved to 10:00');
    route = () =>
      createScriptedModel(leakingScript([[{ type: 'tool-call', toolName: 'recall', input: { query: 'standup' } }]]));
    const { answer } = await ask(app, 'bob', threadId, '@agent recall standup');
    expect(answer?.text).toContain('Standup moved to 10:00');
    expect(answer?.text).not.toContain(SALARY_FACT);
    expect(answer?.audience).toEqual({ kind: 'thread' });
  });

  it('the adversary cannot launder labels through memory, nor recall what its requester may not read', async () => {
    const thread = await app.threads.create('alice', { title: 'Adversarial memory', members: ['bob'] });
    // The adversary's own plan, sliced to what matters here (its whole plan takes minutes): it
    // reads protected data, then remembers and recalls with every hostile argument it has.
    const memorySlice = (requester: UserId) =>
      plannedAttackScript(victimsFor(requester), {
        pick: (attack) =>
          attack.toolName === 'remember' ||
          attack.toolName === 'recall' ||
          (attack.toolName === 'sql' && attack.category === 'protected-data'),
      });
    route = (call) => createScriptedModel(memorySlice(call.requester ?? 'unknown'));
    const { run: aliceRun } = await ask(app, 'alice', thread.id, '@agent everything, and remember it (alice)');
    const remembered = await memoriesOf(aliceRun);
    expect(remembered.length).toBeGreaterThan(0);
    // Every memory carries each label its run had read in an earlier model step than the
    // `remember` call (calls of the same step run in parallel: the model had not seen them).
    for (const memory of remembered) {
      for (const label of labelsReadBefore(aliceRun, memory)) expect(memory.labels).toContain(label);
      // No hostile argument chose a memory's thread or requester.
      expect(memory).toMatchObject({ threadId: thread.id, requesterId: 'alice' });
    }
    expect(remembered.some((memory) => memory.labels.includes('hr-confidential'))).toBe(true);

    const { run: bobRun, answer: bobAnswer } = await ask(app, 'bob', thread.id, '@agent everything you remember (bob)');
    const hidden = remembered.filter((memory) => memory.labels.includes('hr-confidential'));
    for (const memory of hidden) {
      // By id: bob's adversary sends the same texts to `remember` itself.
      expect(bobAnswer?.text).not.toContain(memory.id);
      for (const call of model.calls.filter((each) => each.requester === 'bob'))
        expect(promptText(call.options.prompt)).not.toContain(memory.id);
    }
    const recalls = await app.store.audit.query({ runId: bobRun.id, action: 'memory.read' });
    expect(recalls.length).toBeGreaterThan(0);
    for (const record of recalls) {
      const memory = remembered.find((each) => `memory:${each.id}` === record.resource);
      if (memory?.labels.includes('hr-confidential')) expect(record.decision).toBe('deny');
    }
    // Whatever bob's adversary asked, no hr-labelled memory was recalled for him. (His run still
    // carries hr-confidential: its own `SELECT * FROM compensation` attempt declared it.)
    const allowed = recalls.filter((record) => record.decision === 'allow');
    expect(allowed.length).toBeGreaterThan(0);
    expect(allowed.flatMap((record) => record.labels ?? [])).not.toContain('hr-confidential');
  });
});

/** Labels of the run's tool calls that finished in a model step before the one that made `memory`'s call. */
function labelsReadBefore(run: Run, memory: Memory): string[] {
  const at = run.steps.findIndex((step) => step.kind === 'tool-call' && step.callId === memory.origin.callId);
  const lastBoundary = run.steps.slice(0, at).findLastIndex((step) => step.kind === 'model-step');
  return [
    ...new Set(
      run.steps
        .slice(0, Math.max(0, lastBoundary))
        .flatMap((step) => (step.kind === 'tool-call' ? (step.labels ?? []) : [])),
    ),
  ];
}
