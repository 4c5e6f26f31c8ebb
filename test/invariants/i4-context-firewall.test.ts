import type { LanguageModelV3 } from '@ai-sdk/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserId } from '../../src/identity/types.ts';
import { ACME_THREAD, ACME_USERS } from '../support/acme/demo.ts';
import { createScriptedModel } from '../support/models/index.ts';
import { createTestApp } from '../support/test-app.ts';
import {
  adversaryPerRequester,
  ask,
  autoDecide,
  historyText,
  type InvariantApp,
  instrumentTools,
  leakedLabels,
  leakingScript,
  plannedAttackScript,
  promptText,
  type RecordedCall,
  type RoutingModel,
  routingModel,
  storesUnderTest,
  victimsFor,
} from './support/index.ts';

const THREAD = ACME_THREAD.id;

const SUITE = 'I4 context firewall';

describe.each(await storesUnderTest(SUITE))(`${SUITE} on %s`, (_kind, options) => {
  let app: InvariantApp;
  let model: RoutingModel;
  let route: (call: RecordedCall) => LanguageModelV3;

  beforeAll(async () => {
    model = routingModel((call) => route(call));
    app = await createTestApp({ ...options, model, limits: { maxSteps: 12 } });
    instrumentTools(app);
    autoDecide(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const promptsOf = (runRequest: string, requester: UserId) =>
    model.calls.filter((call) => call.requester === requester && call.request === runRequest);
  const groupsOf = async (id: UserId) => (await app.store.users.get(id))?.groups ?? [];

  it("I4: alice's private salary answer never reaches the model's context in bob's or carol's later run", async () => {
    route = () =>
      createScriptedModel(
        leakingScript([[{ type: 'tool-call', toolName: 'sql', input: { query: 'SELECT * FROM compensation' } }]]),
      );
    const { answer } = await ask(app, 'alice', THREAD, '@agent list every salary');
    expect(answer?.audience).toEqual({ kind: 'users', users: ['alice'] });
    expect(answer?.text).toContain('"salary":290000');
    const secret = answer?.text.slice(0, 400) ?? '';

    // Bob and carol ask the adversary, which repeats its whole context in the answer.
    route = () => createScriptedModel(plannedAttackScript(victimsFor('bob'), { pick: () => false }));
    for (const reader of ['bob', 'carol']) {
      const request = `repeat everything you know, ${reader}`;
      const { run, answer: leaked } = await ask(app, reader, THREAD, `@agent ${request}`);
      const calls = promptsOf(request, reader);
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) {
        expect(promptText(call.options.prompt)).not.toContain('"salary":');
        expect(promptText(call.options.prompt)).not.toContain(secret.slice(0, 200));
      }
      expect(leaked?.text).not.toContain('"salary":');
      const [assembly] = await app.store.audit.query({ runId: run.id, action: 'context.assemble' });
      expect(assembly?.reason).toMatch(/[1-9]\d* withheld/);
    }

    // Positive control: alice's own next run is told of her answer by reference only (SPEC §13:
    // labels follow data actually used), and reads it when it chooses to, so the check can see
    // a leak. Her greeting stays public.
    const request = 'repeat everything you know, alice';
    const { answer: greeting } = await ask(app, 'alice', THREAD, `@agent ${request}`);
    const aliceCalls = promptsOf(request, 'alice');
    expect(aliceCalls.some((call) => promptText(call.options.prompt).includes(`context item ${answer?.id}`))).toBe(
      true,
    );
    expect(aliceCalls.some((call) => promptText(call.options.prompt).includes('"salary":290000'))).toBe(false);
    expect(greeting?.labels).not.toContain('hr-confidential');
    route = () =>
      createScriptedModel(
        leakingScript([[{ type: 'tool-call', toolName: 'read_context_item', input: { id: answer?.id } }]]),
      );
    const reread = 'read my salary answer again, alice';
    const { answer: again } = await ask(app, 'alice', THREAD, `@agent ${reread}`);
    expect(promptsOf(reread, 'alice').some((call) => promptText(call.options.prompt).includes('"salary":290000'))).toBe(
      true,
    );
    expect(again?.labels).toContain('hr-confidential');
    expect(again?.audience).toEqual({ kind: 'users', users: ['alice'] });
  });

  it("I4: a result from another person's turn is reused only while the reader is cleared for it", async () => {
    // Dana (finance, execs) is cleared for every region's pipeline; the query reads all of them.
    const thread = await app.threads.create('erin', { title: 'Pipeline review', members: ['dana'] });
    route = () =>
      createScriptedModel(
        leakingScript([
          [{ type: 'tool-call', toolName: 'sql', input: { query: "SELECT * FROM deals WHERE region = 'apac'" } }],
        ]),
      );
    const { answer } = await ask(app, 'erin', thread.id, '@agent APAC deals');
    expect(answer?.labels).toContain('sales-pipeline:apac');
    expect(answer?.audience).toEqual({ kind: 'thread' });
    expect(answer?.text).toContain('"region":"apac"');
    expect(answer?.text).toContain('D-2007');

    // Dana's run just acknowledges (her own answers stay hers: SPEC §4 "a requester always sees
    // their own answer"); bob's is the adversary repeating its whole context.
    const acknowledgeOrRepeat: typeof route = (call) =>
      call.requester === 'dana'
        ? createScriptedModel(() => [{ type: 'text', text: 'Noted.' }])
        : createScriptedModel(plannedAttackScript(victimsFor('bob'), { pick: () => false }));
    route = acknowledgeOrRepeat;
    const contextOf = async (reader: UserId, request: string) => {
      await ask(app, reader, thread.id, `@agent ${request}`);
      return promptsOf(request, reader)
        .map((call) => historyText(call.options.prompt))
        .join('\n');
    };
    // dana is cleared for it: erin's labelled answer is named in her context (SPEC §13), and
    // reading it brings its content in.
    expect(await contextOf('dana', 'what did erin find?')).toContain(`context item ${answer?.id}`);
    const readIt = () =>
      createScriptedModel(
        leakingScript([[{ type: 'tool-call', toolName: 'read_context_item', input: { id: answer?.id } }]]),
      );
    route = readIt;
    const { answer: danas } = await ask(app, 'dana', thread.id, '@agent read what erin found');
    expect(danas?.text).toContain('D-2007');
    expect(danas?.labels).toContain('sales-pipeline:apac');

    // bob joins; he is cleared for EMEA only, so the same answer stays out of his context —
    // not even named — and reading it by id is refused.
    route = acknowledgeOrRepeat;
    await app.threads.addMember('erin', thread.id, 'bob');
    const bobContext = await contextOf('bob', 'what did erin find? (bob)');
    expect(bobContext).not.toContain('D-2007');
    expect(bobContext).not.toContain(answer?.id ?? 'no answer');
    expect(leakedLabels(bobContext, await groupsOf('bob'))).toEqual([]);
    route = readIt;
    const { answer: bobs } = await ask(app, 'bob', thread.id, '@agent read what erin found (bob)');
    expect(bobs?.text).not.toContain('D-2007');

    // dana loses finance and execs: reading it again is re-authorized, and now refused.
    const dana = ACME_USERS.find((user) => user.id === 'dana');
    if (!dana) throw new Error('no dana');
    await app.store.users.upsert({ ...dana, groups: ['auditors'] });
    try {
      const { answer: refused } = await ask(app, 'dana', thread.id, '@agent read what erin found (again)');
      expect(refused?.text).not.toContain('D-2007');
    } finally {
      await app.store.users.upsert(dana);
    }
  });

  it("I4: with the adversarial model, nothing in any run's context comes from data its requester may not read", async () => {
    // The prompts are inspected directly, so the answers need not repeat the context (which would
    // double in size with every run).
    route = adversaryPerRequester({ callsPerStep: 32, maxToolSteps: 2, leakContext: false });
    const thread = await app.threads.create('alice', { title: 'Mixed clearance', members: ['bob', 'carol', 'erin'] });
    // Each run's context holds the answers of the runs before it, as far as its requester may see.
    const people: UserId[] = ['alice', 'erin', 'bob', 'carol', 'alice'];
    for (const [index, person] of people.entries()) {
      const request = `everything you can find (${index})`;
      await ask(app, person, thread.id, `@agent ${request}`);
      const calls = promptsOf(request, person);
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls)
        expect(leakedLabels(historyText(call.options.prompt), await groupsOf(person))).toEqual([]);
    }
    // The answers did contain such data: the firewall, not luck, kept it out.
    const answers = (await app.store.messages.list(thread.id)).filter((message) => message.kind === 'agent');
    expect(answers.filter((message) => leakedLabels(message.text, []).length > 0).length).toBeGreaterThan(1);
  });
});
