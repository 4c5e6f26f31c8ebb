import type { LanguageModelV3, LanguageModelV3Prompt } from '@ai-sdk/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineModel } from '../../src/agent/model/index.ts';
import type { Run } from '../../src/agent/types.ts';
import type { DomainEvent } from '../../src/events/types.ts';
import type { AnswerAudienceWire } from '../../src/protocol/answer-wire.ts';
import type { Message } from '../../src/threads/types.ts';
import { leakingAfter, PUBLIC_FACT, SENTINEL, SENTINEL_PAY, splitAnswerTools } from '../support/split-answer-tools.ts';
import { createTestApp } from '../support/test-app.ts';
import {
  adversaryPerRequester,
  autoDecide,
  deliverTo,
  deliveryViolations,
  disclosureViolations,
  type InvariantApp,
  type RecordedCall,
  recordEvents,
  routingModel,
  storesUnderTest,
} from './support/index.ts';

// Issue 10 point 3 (SPEC §13): split-audience answers. The thread's part is built in a separate
// model step without tools from inputs every member is cleared for; the model is never trusted
// to do the split (I10). Sentinel values sit only in data bob is not cleared for.

/**
 * A stateful adversary, outside the threat model of a stateless LLM but the worst case: it
 * remembers every prompt it was ever given and repeats all of it in every answer, so the shared
 * step's output would carry what the run's turn saw. The echo check must drop that part.
 */
function memorizingAdversary(calls: string[]): LanguageModelV3 {
  const seen: string[] = [];
  const inner = leakingAfter(calls);
  const remember = (prompt: LanguageModelV3Prompt) => seen.push(JSON.stringify(prompt));
  return {
    ...inner,
    doGenerate: async (options) => {
      remember(options.prompt);
      const result = await inner.doGenerate(options);
      return {
        ...result,
        content: result.content.map((part) =>
          part.type === 'text' ? { ...part, text: `${part.text}\n${seen.join('\n')}` } : part,
        ),
      };
    },
    doStream: async (options) => {
      remember(options.prompt);
      return inner.doStream(options);
    },
  };
}

const SUITE = 'Split-audience answers';

describe.each(await storesUnderTest(SUITE))(`${SUITE} on %s`, (_kind, options) => {
  let app: InvariantApp;
  let route: (call: RecordedCall) => LanguageModelV3;
  let model: ReturnType<typeof routingModel>;
  let events: DomainEvent[];
  let thread: string;

  beforeAll(async () => {
    model = routingModel((recorded) => route(recorded));
    app = await createTestApp({ ...options, model, extraTools: () => splitAnswerTools(), limits: { maxSteps: 8 } });
    autoDecide(app);
    events = recordEvents(app);
    // dana (hr) is cleared for hr-confidential; bob and erin are not.
    thread = (await app.threads.create('dana', { title: 'Split answers', members: ['bob', 'erin'] })).id;
  });
  afterAll(async () => {
    await app.close();
  });

  async function askFor(text: string, audience: AnswerAudienceWire) {
    const { run } = await app.postMessage('dana', thread, text, { audience });
    if (!run) throw new Error('no run');
    await app.drain();
    const finished = (await app.store.runs.get(run.id)) as Run;
    const get = async (id: string | null | undefined) => (id ? await app.store.messages.get(id) : undefined);
    return {
      run: finished,
      privatePart: (await get(finished.answerMessageId)) as Message,
      sharedPart: await get(finished.sharedMessageId),
    };
  }

  /** Everything bob and erin can get: read API, and every event as the hub would deliver it. */
  async function uncleared(): Promise<string> {
    const parts: unknown[] = [];
    for (const reader of ['bob', 'erin']) {
      parts.push(await app.threads.listMessages(reader, thread));
      for (const event of events) parts.push(await deliverTo(app, reader, event));
    }
    return JSON.stringify(parts);
  }

  async function expectNoLeak() {
    const text = await uncleared();
    expect(text).not.toContain(SENTINEL);
    expect(text).not.toContain(String(SENTINEL_PAY));
    expect(await disclosureViolations(app, thread)).toEqual([]);
    expect(await deliveryViolations(app, thread, ['bob', 'erin'], events)).toEqual([]);
  }

  it('answer for me: the private part holds everything, the shared part only the cleared input', async () => {
    route = () => leakingAfter(['secret_pay', 'cafeteria_hours']);
    const { run, privatePart, sharedPart } = await askFor('@agent pay and cafeteria hours', 'me');
    expect(run.status).toBe('done');
    // The run's answer stays the requester's complete answer.
    expect(privatePart).toMatchObject({ audience: { kind: 'users', users: ['dana'] }, answerPart: 'private' });
    expect(privatePart.text).toContain(SENTINEL);
    expect(privatePart.privateReason).toMatch(/`compensation` rows of the secret_pay call at \d\d:\d\d/);
    // The thread's part: public only, from the cafeteria call, without the adversary's help.
    expect(sharedPart).toMatchObject({ audience: { kind: 'thread' }, answerPart: 'shared', runId: run.id });
    expect(sharedPart?.labels).toEqual(['public']);
    expect(sharedPart?.text).toContain(PUBLIC_FACT);
    expect(sharedPart?.text).not.toContain(SENTINEL);
    await expectNoLeak();
  });

  it('the shared step is a separate model call with no tools and only cleared inputs in its context', async () => {
    const before = model.calls.length;
    route = () => leakingAfter(['secret_pay', 'cafeteria_hours']);
    await askFor('@agent pay and cafeteria hours again', 'me');
    const calls = model.calls.slice(before);
    const shared = calls.at(-1);
    expect(shared?.options.tools ?? []).toEqual([]);
    const prompt = JSON.stringify(shared?.options.prompt);
    expect(prompt).toContain(PUBLIC_FACT);
    expect(prompt).not.toContain(SENTINEL);
    expect(prompt).not.toContain('secret_pay');
    // The run's own steps did see the sentinel: the split is not the model's doing.
    expect(calls.slice(0, -1).some((recorded) => JSON.stringify(recorded.options.prompt).includes(SENTINEL))).toBe(
      true,
    );
  });

  it('one disclosure record per delivered part: decide (deny) for the private part, shared-part (allow) for the thread', async () => {
    route = () => leakingAfter(['secret_pay', 'cafeteria_hours']);
    const { run, privatePart, sharedPart } = await askFor('@agent pay and hours, audited', 'me');
    const records = await app.store.audit.query({ runId: run.id });
    const decide = records.filter((record) => record.action === 'disclosure.decide');
    const sharedRecords = records.filter((record) => record.action === 'disclosure.shared-part');
    expect(decide).toHaveLength(1);
    expect(decide[0]).toMatchObject({ decision: 'deny', resource: `message:${privatePart.id}` });
    expect(sharedRecords).toHaveLength(1);
    expect(sharedRecords[0]).toMatchObject({ decision: 'allow', resource: `message:${sharedPart?.id}` });
    expect(sharedRecords[0]?.labels).toEqual(['public']);
  });

  it('answer for the room: only the shared part goes out; the requester learns what was left out, not its content', async () => {
    route = () => leakingAfter(['secret_pay', 'cafeteria_hours']);
    const { run, privatePart, sharedPart } = await askFor('@agent pay and cafeteria hours for everyone', 'room');
    expect(run.audience).toBe('room');
    expect(sharedPart?.text).toContain(PUBLIC_FACT);
    expect(sharedPart?.text).not.toContain(SENTINEL);
    expect(privatePart).toMatchObject({ audience: { kind: 'users', users: ['dana'] }, answerPart: 'private' });
    expect(privatePart.text).toMatch(/secret_pay call at \d\d:\d\d \(hr-confidential\)/);
    expect(privatePart.text).not.toContain(SENTINEL);
    expect(privatePart.text).not.toContain(String(SENTINEL_PAY));
    await expectNoLeak();
  });

  it.each(['me', 'room'] as const)(
    'no shared part when the only cleared inputs are refusals and errors (%s)',
    async (audience) => {
      route = () => leakingAfter(['secret_pay', 'refused_public', 'broken_public']);
      const { run, privatePart, sharedPart } = await askFor(`@agent pay and notes (${audience})`, audience);
      expect(run.sharedMessageId ?? null).toBeNull();
      expect(sharedPart).toBeUndefined();
      expect(privatePart.audience).toEqual({ kind: 'users', users: ['dana'] });
      const parts = (await app.store.messages.list(thread)).filter((message) => message.runId === run.id);
      expect(parts).toHaveLength(1);
      if (audience === 'me') expect(privatePart).not.toHaveProperty('answerPart');
      // bob sees the usual placeholder for it.
      const bobView = await app.threads.listMessages('bob', thread);
      expect(bobView.find((item) => item.id === privatePart.id)).toMatchObject({ hidden: true });
      await expectNoLeak();
    },
  );

  it.each(['me', 'room'] as const)(
    'a model that carries what it saw into the shared step gets no shared part (%s)',
    async (audience) => {
      route = (() => {
        const memorizing = memorizingAdversary(['secret_pay', 'cafeteria_hours']);
        return () => memorizing;
      })();
      const { run, privatePart } = await askFor(`@agent pay and hours, memorized (${audience})`, audience);
      expect(run.status).toBe('done');
      expect(run.sharedMessageId ?? null).toBeNull();
      expect(privatePart.audience).toEqual({ kind: 'users', users: ['dana'] });
      await expectNoLeak();
    },
  );

  it.each(['me', 'room'] as const)(
    'the planned adversary leaks nothing to uncleared members (%s)',
    async (audience) => {
      route = adversaryPerRequester({ callsPerStep: 48, maxToolSteps: 2 });
      const { run } = await askFor(`@agent everything please (${audience})`, audience);
      expect(run.status).toBe('done');
      await expectNoLeak();
    },
  );

  it('every label of every answer names at least one origin', async () => {
    for (const message of await app.store.messages.list(thread)) {
      if (message.kind !== 'agent' || message.labels.includes('unclassified')) continue;
      const explained = new Set((message.labelOrigins ?? []).map((origin) => origin.label));
      for (const label of message.labels) expect(explained, `${message.id} ${label}`).toContain(label);
    }
  });
});

describe('Split-audience answers with the offline model', () => {
  let app: InvariantApp;
  let thread: string;
  beforeAll(async () => {
    app = (await createTestApp({ model: createOfflineModel() })) as InvariantApp;
    thread = (await app.threads.create('dana', { title: 'Offline split', members: ['bob'] })).id;
  });
  afterAll(async () => {
    await app.close();
  });

  it('a salary answer is private with its origin named, and gets no shared part (nothing cleared returned data)', async () => {
    const { run } = await app.postMessage('dana', thread, '@agent what are the salaries?');
    await app.drain();
    const finished = (await app.store.runs.get(run?.id as string)) as Run;
    const answer = (await app.store.messages.get(finished.answerMessageId as string)) as Message;
    expect(answer.audience).toEqual({ kind: 'users', users: ['dana'] });
    expect(answer.privateReason).toMatch(/the `compensation` rows of the sql call at \d\d:\d\d/);
    expect(finished.sharedMessageId ?? null).toBeNull();
    for (const label of answer.labels) expect(answer.labelOrigins?.some((origin) => origin.label === label)).toBe(true);
    expect(answer.labelOrigins).toContainEqual(
      expect.objectContaining({ label: 'hr-confidential', kind: 'tool', tool: 'sql', detail: 'compensation' }),
    );
    // The trace names the same origins.
    const disclosure = finished.steps.find((step) => step.kind === 'disclosure');
    expect(disclosure).toMatchObject({ origins: answer.labelOrigins });
    const sqlStep = finished.steps.find((step) => step.kind === 'tool-call' && step.tool === 'sql');
    expect(sqlStep).toMatchObject({
      labelSources: expect.arrayContaining([{ label: 'hr-confidential', kind: 'table', source: 'compensation' }]),
    });
  });

  it('a public answer goes to the thread whole, as before, with its origins', async () => {
    const { run } = await app.postMessage('dana', thread, '@agent hi');
    await app.drain();
    const finished = (await app.store.runs.get(run?.id as string)) as Run;
    const answer = (await app.store.messages.get(finished.answerMessageId as string)) as Message;
    expect(answer.audience).toEqual({ kind: 'thread' });
    expect(answer).not.toHaveProperty('answerPart');
    for (const label of answer.labels) expect(answer.labelOrigins?.some((origin) => origin.label === label)).toBe(true);
  });
});
