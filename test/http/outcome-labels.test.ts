import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageItemWire, RunWire, ThreadWire } from '../../src/protocol/wire.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { askAgent, createHttpFixture, type HttpFixture, type SignedIn } from './http-fixture.ts';

/**
 * Issue 7 point 1 (SPEC I5): a failed call is data. Every outcome of a tool call — rows, an error
 * quoting a value, a refusal after execution began, an error that happens or not depending on a
 * value — carries the labels of everything the call read or tried to read, so the answer built
 * on it reaches only readers cleared for them. Through the public API with the offline model.
 */

const Q3 = ACME_THREAD.id;

describe('a failed call carries the labels of what it touched (issue 7.1)', () => {
  let f: HttpFixture;
  let alice: SignedIn;
  let bob: SignedIn;
  let erin: SignedIn;
  let gus: SignedIn;
  let carol: SignedIn;
  /** erin's thread with gus: gus is not cleared for hr-confidential. */
  let sales: string;

  beforeAll(async () => {
    f = await createHttpFixture({ agentInvocationsPerMinute: 1000 });
    [alice, bob, carol, erin, gus] = (await Promise.all(
      ['alice', 'bob', 'carol', 'erin', 'gus'].map((user) => f.signIn(user)),
    )) as [SignedIn, SignedIn, SignedIn, SignedIn, SignedIn];
    const thread = (await (
      await f.call('POST', '/api/threads', { as: erin, body: { title: 'Team sync', members: ['gus'] } })
    ).json()) as ThreadWire;
    sales = thread.id;
  });
  afterAll(() => f.close());

  const ask = (as: SignedIn, threadId: string, text: string) => askAgent(f, as, threadId, text);

  async function viewOf(as: SignedIn, threadId: string, messageId: string): Promise<MessageItemWire> {
    const items = (await (await f.call('GET', `/api/threads/${threadId}/messages`, { as })).json()) as {
      messages: MessageItemWire[];
    };
    const item = items.messages.find((message) => message.id === messageId);
    if (!item) throw new Error(`message ${messageId} not listed for ${as.user}`);
    return item;
  }

  function toolStep(run: RunWire) {
    const step = run.steps?.find((candidate) => candidate.kind === 'tool-call');
    if (step?.kind !== 'tool-call') throw new Error('no tool call in the run');
    return step;
  }

  it('a cast error quoting a salary is hr-confidential: private to alice, hidden from bob and carol', async () => {
    const run = await ask(alice, Q3, '@agent /sql SELECT salary::text::date FROM compensation');
    const step = toolStep(run);
    expect(step.decision).toBe('error');
    expect(step.labels).toContain('hr-confidential');
    expect(run.labels).toContain('hr-confidential');
    const answer = run.answerMessageId as string;
    const own = await viewOf(alice, Q3, answer);
    expect(own.hidden).toBeFalsy();
    if (!own.hidden) expect(own.audience).toEqual({ kind: 'users', users: ['alice'] });
    const bobs = await viewOf(bob, Q3, answer);
    expect(bobs.hidden).toBe(true);
    expect(bobs.hidden ? bobs.reason : bobs.text).not.toMatch(/invalid input|date/);
  });

  it('erin, who sees some compensation rows through RLS but is not cleared, cannot leak them to gus by an error', async () => {
    const run = await ask(erin, sales, "@agent /sql SELECT ('x' || salary)::int FROM compensation");
    expect(toolStep(run).decision).toBe('error');
    expect(run.labels).toContain('hr-confidential');
    const gusView = await viewOf(gus, sales, run.answerMessageId as string);
    expect(gusView.hidden).toBe(true);
    expect(gusView.hidden ? gusView.reason : gusView.text).not.toContain('x');
  });

  it('a division by zero that happens or not depending on a value is labelled either way (no one-bit oracle)', async () => {
    const outcomes = new Set<string>();
    for (const threshold of [1, 10_000_000]) {
      const run = await ask(
        alice,
        Q3,
        `@agent /sql SELECT CASE WHEN salary > ${threshold} THEN 1 / (salary - salary) ELSE 1 END FROM compensation WHERE employee_id = 'carol'`,
      );
      const step = toolStep(run);
      outcomes.add(step.decision);
      expect(step.labels, `threshold ${threshold}`).toContain('hr-confidential');
      expect((await viewOf(bob, Q3, run.answerMessageId as string)).hidden).toBe(true);
    }
    expect(outcomes).toEqual(new Set(['error', 'allow']));
  });

  it('a statement whose plan cannot be read is unclassified: private to the requester', async () => {
    const run = await ask(alice, Q3, '@agent /sql SELECT salary FROM compensation WHERE');
    const step = toolStep(run);
    expect(step.decision).toBe('error');
    expect(step.labels).toEqual(['unclassified']);
    expect((await viewOf(carol, Q3, run.answerMessageId as string)).hidden).toBe(true);
  });

  it('a refused document read carries that document’s labels, and a missing one is unclassified', async () => {
    const refused = await ask(bob, Q3, '@agent /tool get_document {"id": "doc-comp-bands"}');
    const step = toolStep(refused);
    expect(step.decision).toBe('deny');
    expect(step.labels).toContain('hr-confidential');
    const missing = await ask(bob, Q3, '@agent /tool get_document {"id": "doc-nowhere"}');
    expect(toolStep(missing).labels).toEqual(['unclassified']);
    for (const run of [refused, missing]) {
      expect((await viewOf(alice, Q3, run.answerMessageId as string)).hidden).toBe(true);
    }
  });

  it('a refusal before execution began (unknown tool, invalid arguments) carries no data labels', async () => {
    const run = await ask(bob, Q3, '@agent /tool get_document {"id": 42}');
    const step = toolStep(run);
    expect(step.decision).toBe('deny');
    expect(step.labels ?? []).toEqual([]);
  });
});
