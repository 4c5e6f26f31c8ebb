import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoriesResponse } from '../../src/protocol/memory-wire.ts';
import type { ThreadWire } from '../../src/protocol/wire.ts';
import { askAgent, createHttpFixture, type HttpFixture, messageAs, type SignedIn, signInAll } from './http-fixture.ts';

/**
 * Issue 10 point 4 through the public API: the offline model remembers and recalls; people list
 * the memories they are cleared for and delete only those remembered from their own requests.
 */
describe('agent memory over HTTP (issue 10.4)', () => {
  let f: HttpFixture;
  let people: Record<string, SignedIn>;
  let threadId: string;
  let hrMemoryId: string;
  const as = (user: string) => people[user] as SignedIn;
  const list = async (user: string) => {
    const response = await f.call('GET', `/api/threads/${threadId}/memories`, { as: as(user) });
    expect(response.status).toBe(200);
    return ((await response.json()) as MemoriesResponse).memories;
  };
  const remove = (user: string, memoryId: string) =>
    f.call('DELETE', `/api/threads/${threadId}/memories/${memoryId}`, { as: as(user) });

  beforeAll(async () => {
    f = await createHttpFixture({ agentInvocationsPerMinute: 1000 });
    people = await signInAll(f, ['alice', 'bob', 'carol', 'dana']);
    const thread = (await (
      await f.call('POST', '/api/threads', { as: as('alice'), body: { title: 'Memory', members: ['bob', 'carol'] } })
    ).json()) as ThreadWire;
    threadId = thread.id;
    // A memory derived from salaries (the tools' labelling is proven in test/invariants/agent-memory.test.ts).
    hrMemoryId = 'mem_hr_fact';
    await f.app.store.memories.create({
      id: hrMemoryId,
      threadId,
      text: 'The top salary is 290000',
      requesterId: 'alice',
      createdAt: 1,
      labels: ['public', 'hr-confidential'],
      origin: {
        runId: 'run_x',
        callId: 'run_x:call_2',
        messageId: 'msg_x',
        sources: [{ kind: 'tool-call', callId: 'run_x:call_1', tool: 'sql', at: 1, labels: ['hr-confidential'] }],
      },
    });
  });
  afterAll(() => f.close());

  it('the offline model remembers "remember that …" and recalls it for another member, to the whole thread', async () => {
    const remembered = await askAgent(f, as('carol'), threadId, '@agent remember that standup moved to 10:00');
    expect(remembered.steps?.find((step) => step.kind === 'tool-call')).toMatchObject({
      tool: 'remember',
      decision: 'allow',
    });
    const recalled = await askAgent(f, as('bob'), threadId, '@agent what do you remember about standup?');
    expect(recalled.steps?.find((step) => step.kind === 'tool-call')).toMatchObject({ tool: 'recall' });
    const answer = await messageAs(f, as('bob'), threadId, recalled.answerMessageId);
    expect(answer && !answer.hidden && answer.text).toContain('standup moved to 10:00');
    expect(answer && !answer.hidden && answer.audience).toEqual({ kind: 'thread' });
    expect(answer && !answer.hidden && answer.text).not.toContain('290000');
  });

  it('lists only the memories the caller is cleared for, with labels, origin and whether they may delete it', async () => {
    const alices = await list('alice');
    expect(alices.map((memory) => memory.text)).toEqual(['The top salary is 290000', 'standup moved to 10:00']);
    expect(alices[0]).toMatchObject({
      id: hrMemoryId,
      requesterId: 'alice',
      labels: ['public', 'hr-confidential'],
      deletable: true,
      origin: { runId: 'run_x', sources: [{ kind: 'tool-call', tool: 'sql', labels: ['hr-confidential'] }] },
    });
    expect(alices[1]).toMatchObject({ requesterId: 'carol', labels: ['public'], deletable: false });
    // bob is not cleared for hr-confidential: the memory is not listed, not even as a placeholder.
    const bobs = await list('bob');
    expect(bobs.map((memory) => memory.text)).toEqual(['standup moved to 10:00']);
    expect(JSON.stringify(bobs)).not.toContain(hrMemoryId);
  });

  it('a non-member gets 404', async () => {
    const response = await f.call('GET', `/api/threads/${threadId}/memories`, { as: as('dana') });
    expect(response.status).toBe(404);
    expect((await remove('dana', hrMemoryId)).status).toBe(404);
  });

  it("only the person whose request created a memory deletes it; others get 403, or 404 when they can't read it", async () => {
    const [, standup] = await list('alice');
    expect((await remove('bob', hrMemoryId)).status).toBe(404);
    expect((await remove('alice', standup?.id as string)).status).toBe(403);
    expect((await remove('alice', 'mem_unknown')).status).toBe(404);
    expect((await list('alice')).length).toBe(2);

    expect((await remove('alice', hrMemoryId)).status).toBe(204);
    expect((await list('alice')).map((memory) => memory.id)).toEqual([standup?.id]);
    expect((await remove('alice', hrMemoryId)).status).toBe(404);

    await f.app.drain();
    const records = await f.app.store.audit.query({ action: 'memory.delete' });
    expect(records.map((record) => [record.requester, record.resource, record.decision])).toEqual([
      ['bob', `memory:${hrMemoryId}`, 'deny'],
      ['alice', `memory:${standup?.id}`, 'deny'],
      ['alice', `memory:${hrMemoryId}`, 'allow'],
    ]);
  });
});
