import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_THREAD } from '../../src/demo/acme.ts';
import type { MessageItemWire, PostMessageResponse, RunWire, ThreadWire } from '../../src/protocol/wire.ts';
import { ACME_COMPENSATION } from '../../src/sources/acme/seed-data.ts';
import { createHttpFixture, type HttpFixture, type SignedIn } from './http-fixture.ts';

/**
 * Issue 10 point 1 (SPEC §13): labels follow data actually used. Earlier labelled answers enter
 * a run's context as references; only reading one through `read_context_item` (audited, decided
 * for the requester) brings its content and labels in. Through the public API.
 */

const Q3 = ACME_THREAD.id;
const SALARIES = Object.values(ACME_COMPENSATION).map((row) => String(row.salary));

describe('lazy context: labels follow data actually used (issue 10.1)', () => {
  let f: HttpFixture;
  let alice: SignedIn;
  let bob: SignedIn;
  let salaries: string;

  beforeAll(async () => {
    f = await createHttpFixture({ agentInvocationsPerMinute: 1000 });
    [alice, bob] = (await Promise.all([f.signIn('alice'), f.signIn('bob')])) as [SignedIn, SignedIn];
    salaries = (await ask(alice, Q3, '@agent /sql SELECT employee_id, salary FROM compensation')).answerMessageId ?? '';
  });
  afterAll(() => f.close());

  async function ask(as: SignedIn, threadId: string, text: string): Promise<RunWire> {
    const posted = (await (
      await f.call('POST', `/api/threads/${threadId}/messages`, { as, body: { text } })
    ).json()) as PostMessageResponse;
    await f.app.drain();
    return (await (await f.call('GET', `/api/runs/${posted.run?.id}`, { as })).json()) as RunWire;
  }

  async function viewOf(as: SignedIn, threadId: string, id: string | null): Promise<MessageItemWire | undefined> {
    const items = (await (await f.call('GET', `/api/threads/${threadId}/messages`, { as })).json()) as {
      messages: MessageItemWire[];
    };
    return items.messages.find((message) => message.id === id);
  }

  it('"hi" after a salary question reaches the whole thread', async () => {
    const salaryView = await viewOf(bob, Q3, salaries);
    expect(salaryView?.hidden).toBe(true);
    const run = await ask(alice, Q3, '@agent hi');
    expect(run.labels).not.toContain('hr-confidential');
    const view = await viewOf(bob, Q3, run.answerMessageId);
    expect(view?.hidden).toBeFalsy();
    if (view && !view.hidden) expect(view.audience).toEqual({ kind: 'thread' });
  });

  it('the requester reads her own earlier item on purpose: its content and labels join the run', async () => {
    const run = await ask(alice, Q3, `@agent /tool read_context_item {"id": "${salaries}"}`);
    const step = run.steps?.find((candidate) => candidate.kind === 'tool-call');
    expect(step).toMatchObject({ tool: 'read_context_item', decision: 'allow' });
    expect(run.labels).toContain('hr-confidential');
    expect((await viewOf(bob, Q3, run.answerMessageId))?.hidden).toBe(true);
    const own = await viewOf(alice, Q3, run.answerMessageId);
    expect(own && !own.hidden && SALARIES.some((salary) => own.text.replaceAll(',', '').includes(salary))).toBe(true);
  });

  it('another member cannot read an item they may not see, even by its id; nothing about it is declared', async () => {
    const run = await ask(bob, Q3, `@agent /tool read_context_item {"id": "${salaries}"}`);
    const step = run.steps?.find((candidate) => candidate.kind === 'tool-call');
    expect(step).toMatchObject({ tool: 'read_context_item', decision: 'deny' });
    expect(step?.kind === 'tool-call' && step.labels).toEqual(['unclassified']);
    const answer = await viewOf(bob, Q3, run.answerMessageId);
    const text = JSON.stringify(answer);
    for (const salary of SALARIES) expect(text).not.toContain(salary);
    expect(text).not.toContain('hr-confidential');
  });

  it('an item of another thread, or one after the request, is not readable', async () => {
    const other = (await (
      await f.call('POST', '/api/threads', { as: alice, body: { title: 'Elsewhere', members: [] } })
    ).json()) as ThreadWire;
    const run = await ask(alice, other.id, `@agent /tool read_context_item {"id": "${salaries}"}`);
    expect(run.steps?.find((candidate) => candidate.kind === 'tool-call')).toMatchObject({ decision: 'deny' });
    expect(run.labels).not.toContain('hr-confidential');
  });
});
