import type { LanguageModelV3 } from '@ai-sdk/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DomainEvent } from '../../src/events/types.ts';
import { isAppError } from '../../src/protocol/errors.ts';
import type { ToolDefinition } from '../../src/tools/types.ts';
import { ACME_THREAD, ACME_USERS } from '../support/acme/demo.ts';
import { createScriptedModel } from '../support/models/index.ts';
import { createTestApp } from '../support/test-app.ts';
import {
  adversaryPerRequester,
  ask,
  autoDecide,
  deliverTo,
  deliveryViolations,
  disclosureViolations,
  type InvariantApp,
  instrumentTools,
  leakedLabels,
  leakingScript,
  type RecordedCall,
  recordEvents,
  routingModel,
  storesUnderTest,
  USER_IDS,
} from './support/index.ts';

const THREAD = ACME_THREAD.id;

/** Tools whose results carry no label, or a label nobody defined. */
function oddlyLabelledTools(): ToolDefinition[] {
  const tool = (name: string, labels: string[]): ToolDefinition => ({
    name,
    description: `Returns a note (${name}).`,
    inputSchema: z.strictObject({}) as z.ZodType<unknown>,
    effect: 'read',
    audience: `behalf:tool:${name}`,
    scope: 'notes:read',
    async execute() {
      return { content: { note: `secret note from ${name}` }, labels };
    },
  });
  return [tool('unlabelled_notes', []), tool('mystery_notes', ['mystery-label'])];
}

const SUITE = 'I5 disclosure control';

describe.each(await storesUnderTest(SUITE))(`${SUITE} on %s`, (_kind, options) => {
  let app: InvariantApp;
  let route: (call: RecordedCall) => LanguageModelV3;
  let events: DomainEvent[];

  beforeAll(async () => {
    app = await createTestApp({
      ...options,
      model: routingModel((call) => route(call)),
      extraTools: () => oddlyLabelledTools(),
      limits: { maxSteps: 40 },
    });
    instrumentTools(app);
    autoDecide(app);
    events = recordEvents(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('I5: the adversarial answer not every member is cleared for is private to the requester, with the reason', async () => {
    route = adversaryPerRequester({ maxToolSteps: 4 });
    const { run, answer } = await ask(app, 'alice', THREAD, '@agent what does the vendor FAQ say?');
    expect(run.status).toBe('done');
    expect(answer?.labels).toEqual(expect.arrayContaining(['hr-confidential', 'public']));
    // The adversary did put what bob and carol may not see into its answer...
    expect(leakedLabels(answer?.text ?? '', ['sales', 'sales-emea'])).toContain('hr-confidential');
    // ...so it went to alice only, saying why.
    expect(answer?.audience).toEqual({ kind: 'users', users: ['alice'] });
    expect(answer?.privateReason).toMatch(/hr-confidential/);
    expect(answer?.privateReason).toMatch(/Bob Okafor/);
    expect(answer?.privateReason).toMatch(/Carol Diaz/);
    const [record] = await app.store.audit.query({ runId: run.id, action: 'disclosure.decide' });
    expect(record).toMatchObject({ decision: 'deny', requester: 'alice' });
    expect(record?.labels).toEqual(expect.arrayContaining(answer?.labels ?? []));
  });

  it('I5: nothing reaches an uncleared reader through the read API or the event stream', async () => {
    route = adversaryPerRequester({ callsPerStep: 48, maxToolSteps: 2 });
    for (const person of ['bob', 'carol']) await ask(app, person, THREAD, `@agent everything please (${person})`);
    // Members see placeholders; non-members get nothing at all.
    expect(await disclosureViolations(app, THREAD)).toEqual([]);
    expect(await deliveryViolations(app, THREAD, USER_IDS, events)).toEqual([]);
    const bobView = await app.threads.listMessages('bob', THREAD);
    const aliceAnswer = bobView.find((item) => item.kind === 'agent' && item.requesterId === 'alice');
    expect(aliceAnswer).toMatchObject({ hidden: true });
    expect(aliceAnswer).not.toHaveProperty('text');
  });

  it("I5: answer deltas carry the requester's id and reach no one else, before the disclosure decision", async () => {
    const deltas = events.filter((event) => event.type === 'answer-delta');
    expect(deltas.length).toBeGreaterThan(0);
    const runIds = new Set(deltas.map((delta) => delta.runId));
    for (const runId of runIds) {
      const run = await app.store.runs.get(runId);
      const ofRun = deltas.filter((delta) => delta.runId === runId);
      for (const delta of ofRun) expect(delta.requesterId).toBe(run?.requesterId);
      const sample = ofRun[0] as DomainEvent;
      for (const reader of USER_IDS)
        expect(await deliverTo(app, reader, sample)).toEqual(reader === run?.requesterId ? sample : null);
      // Streaming ends before the answer is stored and fanned out.
      const answerAt = events.findIndex(
        (event) => event.type === 'message-created' && event.message.runId === runId && event.message.kind === 'agent',
      );
      expect(answerAt).toBeGreaterThan(events.lastIndexOf(ofRun.at(-1) as DomainEvent));
    }
  });

  it('I5: an answer carries the union of the labels of everything its run read, context included', async () => {
    const thread = await app.threads.create('dana', { title: 'Board prep', members: ['erin'] });
    route = () =>
      createScriptedModel(
        leakingScript([
          [
            { type: 'tool-call', toolName: 'sql', input: { query: 'SELECT employee_id, salary FROM compensation' } },
            { type: 'tool-call', toolName: 'get_document', input: { id: 'doc-board-deck' } },
            { type: 'tool-call', toolName: 'sql', input: { query: 'SELECT id, title FROM incidents' } },
          ],
        ]),
      );
    const { answer: first } = await ask(app, 'dana', thread.id, '@agent board prep');
    expect(first?.labels).toEqual(
      expect.arrayContaining(['hr-confidential', 'exec-confidential', 'engineering-internal', 'public']),
    );
    // erin is not cleared for hr-confidential: private to dana.
    expect(first?.audience).toEqual({ kind: 'users', users: ['dana'] });

    // Labels follow data actually used (SPEC §13): a run that only sees the context's
    // reference to erin's labelled answer carries none of its labels; a run that reads it
    // through read_context_item carries every one of them.
    route = () =>
      createScriptedModel(
        leakingScript([[{ type: 'tool-call', toolName: 'sql', input: { query: 'SELECT * FROM deals' } }]]),
      );
    const { answer: pipeline } = await ask(app, 'erin', thread.id, '@agent pipeline');
    expect(pipeline?.audience).toEqual({ kind: 'thread' });
    route = () => createScriptedModel(leakingScript([]));
    const { run: unread } = await ask(app, 'dana', thread.id, '@agent hello');
    expect(unread.labels.filter((label) => label.startsWith('sales-pipeline:'))).toEqual([]);
    route = () =>
      createScriptedModel(
        leakingScript([[{ type: 'tool-call', toolName: 'read_context_item', input: { id: pipeline?.id } }]]),
      );
    const { run, answer } = await ask(app, 'dana', thread.id, '@agent summarize what erin found');
    expect(run.labels).toEqual(expect.arrayContaining(pipeline?.labels ?? []));
    expect(answer?.labels).toEqual(
      expect.arrayContaining(['sales-pipeline:emea', 'sales-pipeline:apac', 'sales-pipeline:amer']),
    );
  });

  it('I5: unknown or unlabelled results fail closed: private to the requester, and not shareable', async () => {
    const thread = await app.threads.create('bob', { title: 'Notes', members: ['gus'] });
    for (const tool of ['unlabelled_notes', 'mystery_notes']) {
      route = () => createScriptedModel(leakingScript([[{ type: 'tool-call', toolName: tool, input: {} }]]));
      const { answer } = await ask(app, 'bob', thread.id, `@agent ${tool}`);
      expect(answer?.labels).toContain(tool === 'unlabelled_notes' ? 'unclassified' : 'mystery-label');
      expect(answer?.audience).toEqual({ kind: 'users', users: ['bob'] });
      expect(answer?.privateReason).toMatch(/Gus Moreau/);
      const gusView = (await app.threads.listMessages('gus', thread.id)).find((item) => item.id === answer?.id);
      expect(gusView).toMatchObject({ hidden: true });
      const refused = await app.sharing.share('bob', answer?.id as string).catch((error: unknown) => error);
      expect(isAppError(refused) && refused.code).toBe('forbidden');
      const [record] = await app.store.audit.query({ action: 'message.share', runId: answer?.runId as string });
      expect(record).toMatchObject({ decision: 'deny', requester: 'bob' });
      expect(record?.policies).toContain('unknown-label-fails-closed');
    }
  });

  it('I5: sharing is an audited declassification: only the requester shares, and policy refuses carol', async () => {
    route = () =>
      createScriptedModel(
        leakingScript([[{ type: 'tool-call', toolName: 'sql', input: { query: 'SELECT * FROM compensation' } }]]),
      );
    // carol sees her own salary, but may not declassify hr-confidential data.
    const { answer: carols } = await ask(app, 'carol', THREAD, '@agent my salary');
    expect(carols?.text).toContain('"employee_id":"carol"');
    expect(carols?.audience).toEqual({ kind: 'users', users: ['carol'] });
    const refused = await app.sharing.share('carol', carols?.id as string).catch((error: unknown) => error);
    expect(isAppError(refused) && refused.code).toBe('forbidden');
    expect((await app.store.messages.get(carols?.id as string))?.audience).toEqual({
      kind: 'users',
      users: ['carol'],
    });

    // The adversary's answer for alice read (or tried to read) data HR may not declassify:
    // engineering-internal, or unclassified where a call failed before its labels were known.
    const adversarial = (await app.store.messages.list(THREAD)).find(
      (message) => message.kind === 'agent' && message.requesterId === 'alice',
    );
    expect(adversarial?.labels.some((label) => label === 'engineering-internal' || label === 'unclassified')).toBe(
      true,
    );
    const notHers = await app.sharing.share('alice', adversarial?.id as string).catch((error: unknown) => error);
    expect(isAppError(notHers) && notHers.code).toBe('forbidden');

    // In a fresh thread (her earlier answers' labels would join through the context), alice asks
    // for salaries; the others cannot even see her private answer, let alone share it.
    const fresh = await app.threads.create('alice', { title: 'HR share', members: ['bob', 'carol'] });
    const { answer: alices } = await ask(app, 'alice', fresh.id, '@agent every salary');
    expect([...(alices?.labels ?? [])].sort()).toEqual(['hr-confidential', 'public']);
    expect(alices?.audience).toEqual({ kind: 'users', users: ['alice'] });
    for (const other of ['bob', 'carol']) {
      const denied = await app.sharing.share(other, alices?.id as string).catch((error: unknown) => error);
      expect(isAppError(denied) && denied.code).toBe('not_found');
    }
    expect(await deliveryViolations(app, fresh.id, USER_IDS, events)).toEqual([]);

    // alice, an hr steward, may declassify hers: audited, and now the thread sees it.
    const shared = await app.sharing.share('alice', alices?.id as string);
    expect(shared.audience).toEqual({ kind: 'thread' });
    expect(shared.sharedBy).toBe('alice');
    const records = await app.store.audit.query({ action: 'message.share' });
    const decisions = records.map((record) => [record.requester, record.resource, record.decision]);
    expect(decisions).toContainEqual(['carol', `message:${carols?.id}`, 'deny']);
    expect(decisions).toContainEqual(['alice', `message:${alices?.id}`, 'allow']);
    expect(decisions).toContainEqual(['alice', `message:${adversarial?.id}`, 'deny']);
    expect(records.find((record) => record.decision === 'allow' && record.requester === 'alice')?.reason).toMatch(
      /declassified hr-confidential/,
    );
    const bobView = (await app.threads.listMessages('bob', fresh.id)).find((item) => item.id === alices?.id);
    expect(bobView).not.toHaveProperty('hidden');
    expect(events.some((event) => event.type === 'message-updated' && event.message.id === alices?.id)).toBe(true);
  });

  it('I5: visibility is checked again at read time: a member who loses clearance loses the answer', async () => {
    const thread = await app.threads.create('frank', { title: 'Incident review', members: ['carol'] });
    route = () =>
      createScriptedModel(
        leakingScript([[{ type: 'tool-call', toolName: 'sql', input: { query: 'SELECT id, title FROM incidents' } }]]),
      );
    const { answer } = await ask(app, 'frank', thread.id, '@agent open incidents');
    expect(answer?.audience).toEqual({ kind: 'thread' });
    const view = async () =>
      (await app.threads.listMessages('carol', thread.id)).find((item) => item.id === answer?.id);
    expect(await view()).not.toHaveProperty('hidden');
    const carol = ACME_USERS.find((user) => user.id === 'carol');
    if (!carol) throw new Error('no carol');
    await app.store.users.upsert({ ...carol, groups: [] });
    try {
      expect(await view()).toMatchObject({ hidden: true, reason: expect.stringMatching(/engineering-internal/) });
      expect(await deliveryViolations(app, thread.id, USER_IDS, events)).toEqual([]);
    } finally {
      await app.store.users.upsert(carol);
    }
  });
});
