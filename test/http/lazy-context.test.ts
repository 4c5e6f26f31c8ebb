import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadWire } from '../../src/protocol/wire.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { ACME_COMPENSATION } from '../support/acme/seed-data.ts';
import { askAgent, createHttpFixture, type HttpFixture, messageAs, type SignedIn, signInAll } from './http-fixture.ts';

/**
 * Issue 10 point 1 (SPEC §13): labels follow data actually used. Earlier labelled answers enter
 * a run's context as references; only reading one through `read_context_item` (audited, decided
 * for the requester) brings its content and labels in. Through the public API.
 */

const Q3 = ACME_THREAD.id;
const SALARIES = Object.values(ACME_COMPENSATION).map((row) => String(row.salary));

describe('lazy context: labels follow data actually used (issue 10.1)', () => {
  let f: HttpFixture;
  let people: Record<string, SignedIn>;
  let salaries: string;
  const ask = (as: string, threadId: string, text: string) => askAgent(f, people[as] as SignedIn, threadId, text);
  const viewOf = (as: string, threadId: string, id: string | null) =>
    messageAs(f, people[as] as SignedIn, threadId, id);

  beforeAll(async () => {
    f = await createHttpFixture({ agentInvocationsPerMinute: 1000 });
    people = await signInAll(f, ['alice', 'bob']);
    salaries =
      (await ask('alice', Q3, '@agent /sql SELECT employee_id, salary FROM compensation')).answerMessageId ?? '';
  });
  afterAll(() => f.close());

  it('"hi" after a salary question reaches the whole thread', async () => {
    const salaryView = await viewOf('bob', Q3, salaries);
    expect(salaryView?.hidden).toBe(true);
    const run = await ask('alice', Q3, '@agent hi');
    expect(run.labels).not.toContain('hr-confidential');
    const view = await viewOf('bob', Q3, run.answerMessageId);
    expect(view?.hidden).toBeFalsy();
    if (view && !view.hidden) expect(view.audience).toEqual({ kind: 'thread' });
  });

  it('the requester reads her own earlier item on purpose: its content and labels join the run', async () => {
    const run = await ask('alice', Q3, `@agent /tool read_context_item {"id": "${salaries}"}`);
    const step = run.steps?.find((candidate) => candidate.kind === 'tool-call');
    expect(step).toMatchObject({ tool: 'read_context_item', decision: 'allow' });
    expect(run.labels).toContain('hr-confidential');
    expect((await viewOf('bob', Q3, run.answerMessageId))?.hidden).toBe(true);
    const own = await viewOf('alice', Q3, run.answerMessageId);
    expect(own && !own.hidden && SALARIES.some((salary) => own.text.replaceAll(',', '').includes(salary))).toBe(true);
  });

  it('another member cannot read an item they may not see, even by its id; nothing about it is declared', async () => {
    const run = await ask('bob', Q3, `@agent /tool read_context_item {"id": "${salaries}"}`);
    const step = run.steps?.find((candidate) => candidate.kind === 'tool-call');
    expect(step).toMatchObject({ tool: 'read_context_item', decision: 'deny' });
    expect(step?.kind === 'tool-call' && step.labels).toEqual(['unclassified']);
    const answer = await viewOf('bob', Q3, run.answerMessageId);
    // Its words only: ids and timestamps may contain any digits.
    const text = answer?.hidden ? answer.reason : (answer?.text ?? '');
    for (const salary of SALARIES) expect(text).not.toContain(salary);
    expect(text).not.toContain('hr-confidential');
  });

  it('an item of another thread, or one after the request, is not readable', async () => {
    const other = (await (
      await f.call('POST', '/api/threads', { as: people.alice, body: { title: 'Elsewhere', members: [] } })
    ).json()) as ThreadWire;
    const run = await ask('alice', other.id, `@agent /tool read_context_item {"id": "${salaries}"}`);
    expect(run.steps?.find((candidate) => candidate.kind === 'tool-call')).toMatchObject({ decision: 'deny' });
    expect(run.labels).not.toContain('hr-confidential');
  });

  it('the offline model dereferences only for a follow-up: "sort that by bonus" reads the item, "hi" does not', async () => {
    const thread = (await (
      await f.call('POST', '/api/threads', { as: people.alice, body: { title: 'Pay review', members: ['bob'] } })
    ).json()) as ThreadWire;
    const first = await ask('alice', thread.id, '@agent what are the salaries?');
    expect(first.labels).toContain('hr-confidential');
    const greeting = await ask('alice', thread.id, '@agent hi');
    expect(greeting.steps?.some((step) => step.kind === 'tool-call')).toBe(false);
    const sorted = await ask('alice', thread.id, '@agent and sort that by bonus');
    const read = sorted.steps?.find((step) => step.kind === 'tool-call');
    expect(read).toMatchObject({ tool: 'read_context_item', decision: 'allow' });
    expect(sorted.labels).toContain('hr-confidential');
    const own = await viewOf('alice', thread.id, sorted.answerMessageId);
    expect(own && !own.hidden ? own.text : '').toMatch(/sorted by \*\*bonus\*\*, highest first/);
    // Bonuses appear in descending order.
    const bonuses = [...(own && !own.hidden ? own.text : '').matchAll(/^\|(.*)\|$/gm)]
      .slice(2)
      .map((row) => (row[1] ?? '').split('|').at(-1)?.replace(/[^\d]/g, '') ?? '')
      .map(Number);
    expect(bonuses.length).toBeGreaterThan(1);
    expect([...bonuses].sort((a, b) => b - a)).toEqual(bonuses);
    expect((await viewOf('bob', thread.id, sorted.answerMessageId))?.hidden).toBe(true);
    // Bob's context holds nothing of Alice's answers to point at (hidden items are left out), so his
    // follow-up reads nothing earlier: at most a fresh query of his own, under his own row security.
    const bobs = await ask('bob', thread.id, '@agent and sort that by bonus');
    expect(bobs.steps?.some((step) => step.kind === 'tool-call' && step.tool === 'read_context_item')).toBe(false);
  });
});
