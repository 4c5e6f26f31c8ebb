import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GovernanceReport } from '../../src/governance/types.ts';
import type {
  AgentIdentitiesResponse,
  AgentIdentityWire,
  MessageItemWire,
  PostMessageResponse,
  RunWire,
  ThreadWire,
} from '../../src/protocol/wire.ts';
import { ACME_COMPENSATION } from '../support/acme/seed-data.ts';
import { createHttpFixture, type HttpFixture, type SignedIn } from './http-fixture.ts';

/**
 * Issue 7 point 2: self-authorized agents are provisioned, not invented. A thread owner can no
 * longer hand the agent any groups and read every salary through it; agent identities are
 * principals an administrator provisions (audited), and an owner assigns only one policy lets
 * them. Through the public API, with the offline model.
 */

const SALARY_QUERY = '@agent /sql SELECT employee_id, salary FROM compensation';

describe('agent identities (issue 7.2)', () => {
  let f: HttpFixture;
  let alice: SignedIn;
  let bob: SignedIn;
  let carol: SignedIn;
  let dana: SignedIn;
  let ivy: SignedIn;
  let gus: SignedIn;
  /** alice's thread with carol, dana and gus. */
  let thread: string;

  beforeAll(async () => {
    f = await createHttpFixture({ agentInvocationsPerMinute: 1000 });
    [alice, bob, carol, dana, ivy, gus] = (await Promise.all(
      ['alice', 'bob', 'carol', 'dana', 'ivy', 'gus'].map((user) => f.signIn(user)),
    )) as [SignedIn, SignedIn, SignedIn, SignedIn, SignedIn, SignedIn];
    const created = (await (
      await f.call('POST', '/api/threads', {
        as: alice,
        body: { title: 'Planning', members: ['carol', 'dana', 'gus'] },
      })
    ).json()) as ThreadWire;
    thread = created.id;
  });
  afterAll(() => f.close());

  async function ask(as: SignedIn, text: string): Promise<{ run: RunWire; answer: string }> {
    const posted = (await (
      await f.call('POST', `/api/threads/${thread}/messages`, { as, body: { text } })
    ).json()) as PostMessageResponse;
    await f.app.drain();
    const run = (await (await f.call('GET', `/api/runs/${posted.run?.id}`, { as })).json()) as RunWire;
    const items = (await (await f.call('GET', `/api/threads/${thread}/messages`, { as })).json()) as {
      messages: MessageItemWire[];
    };
    const answer = items.messages.find((message) => message.id === run.answerMessageId);
    return { run, answer: answer && !answer.hidden ? answer.text : '' };
  }

  /** Salary figures of the seed that appear in a text. */
  function salariesIn(text: string): number[] {
    return Object.values(ACME_COMPENSATION)
      .map((row) => row.salary)
      .filter((salary) => text.replaceAll(/[,\s]/g, '').includes(String(salary)));
  }

  async function patch(as: SignedIn, body: unknown): Promise<Response> {
    return f.call('PATCH', `/api/threads/${thread}`, { as, body });
  }

  it('a thread owner cannot give the agent groups of their choosing (400), and the thread stays user-authorized', async () => {
    const response = await patch(alice, { mode: 'self', agentGroups: ['hr', 'finance'] });
    expect(response.status).toBe(400);
    const current = (await (await f.call('GET', `/api/threads/${thread}`, { as: alice })).json()) as ThreadWire;
    expect(current).toMatchObject({ mode: 'user', agentId: null });
  });

  it('self mode without a provisioned identity holds no groups: no salary reaches carol through the agent', async () => {
    expect((await patch(alice, { mode: 'self' })).status).toBe(200);
    const { run, answer } = await ask(carol, SALARY_QUERY);
    expect(run.mode).toBe('self');
    expect(salariesIn(answer)).toEqual([]);
    expect((await patch(alice, { mode: 'user' })).status).toBe(200);
  });

  it('only an administrator provisions an agent identity; the refusal and the provisioning are audited', async () => {
    const identity = { id: 'hr-assistant', name: 'HR assistant', groups: ['hr'], assigners: ['hr'] };
    const refused = await f.call('POST', '/api/agents', { as: alice, body: identity });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    const created = await f.call('POST', '/api/agents', { as: dana, body: identity });
    expect(created.status).toBe(201);
    expect((await created.json()) as AgentIdentityWire).toMatchObject({ ...identity, provisionedBy: 'dana' });
    expect((await f.call('POST', '/api/agents', { as: dana, body: identity })).status).toBe(409);
    await f.app.audit.drain();
    const records = await f.app.store.audit.query({ action: 'agent.provision' });
    expect(records.map((record) => [record.requester, record.decision])).toEqual([
      ['alice', 'deny'],
      ['dana', 'allow'],
    ]);
  });

  it('refuses malformed identities', async () => {
    for (const body of [
      { id: 'Bad Id', name: 'x', groups: [], assigners: [] },
      { id: 'ok', name: '', groups: [], assigners: [] },
      { id: 'ok', name: 'x', groups: ['a b'], assigners: [] },
      { id: 'ok', name: 'x', groups: [], assigners: [], extra: true },
    ]) {
      expect((await f.call('POST', '/api/agents', { as: dana, body })).status, JSON.stringify(body)).toBe(400);
    }
  });

  it('an owner assigns only an identity policy lets them (403 otherwise, audited); unknown ones are 404', async () => {
    const bobsThread = (await (
      await f.call('POST', '/api/threads', { as: bob, body: { title: 'Bob', members: [] } })
    ).json()) as ThreadWire;
    const refused = await f.call('PATCH', `/api/threads/${bobsThread.id}`, {
      as: bob,
      body: { mode: 'self', agentId: 'hr-assistant' },
    });
    expect(refused.status).toBe(403);
    const unchanged = (await (await f.call('GET', `/api/threads/${bobsThread.id}`, { as: bob })).json()) as ThreadWire;
    expect(unchanged).toMatchObject({ mode: 'user', agentId: null });
    expect((await patch(alice, { mode: 'self', agentId: 'no-such-agent' })).status).toBe(404);
    await f.app.audit.drain();
    const records = await f.app.store.audit.query({ action: 'thread.agent-assign' });
    expect(records.map((record) => [record.requester, record.decision])).toEqual([
      ['bob', 'deny'],
      ['alice', 'deny'],
    ]);
    const listed = (await (await f.call('GET', '/api/agents', { as: bob })).json()) as AgentIdentitiesResponse;
    expect(listed.agents.find((agent) => agent.id === 'hr-assistant')?.assignable).toBe(false);
  });

  it('a member never gets through the agent more than its identity holds, even one who could read more', async () => {
    // eng-assistant (seeded, engineering) may be assigned by managers: alice is one.
    expect((await patch(alice, { mode: 'self', agentId: 'eng-assistant' })).status).toBe(200);
    const { run, answer } = await ask(dana, SALARY_QUERY);
    expect(run.mode).toBe('self');
    expect(salariesIn(answer)).toEqual([]);
  });

  it('with an identity holding hr, the disclosure guard still checks every reader', async () => {
    expect((await patch(alice, { mode: 'self', agentId: 'hr-assistant' })).status).toBe(200);
    const { run, answer } = await ask(carol, SALARY_QUERY);
    expect(run.labels).toContain('hr-confidential');
    // The identity an administrator provisioned reads what hr reads: that is the design's risk ...
    expect(salariesIn(answer).length).toBeGreaterThan(5);
    // ... but the answer is still labelled, so it reaches only readers cleared for it: gus, a
    // member who is not, gets a placeholder.
    const items = (await (await f.call('GET', `/api/threads/${thread}/messages`, { as: gus })).json()) as {
      messages: MessageItemWire[];
    };
    const gusView = items.messages.find((message) => message.id === run.answerMessageId);
    expect(gusView?.hidden).toBe(true);
    // Texts only: ids and timestamps may contain any digits.
    const texts = items.messages.map((message) => (message.hidden ? message.reason : message.text)).join('\n');
    expect(salariesIn(texts)).toEqual([]);
    expect((await patch(alice, { mode: 'user' })).status).toBe(200);
  });

  it('the governance report counts the provisioned identities and where they act', async () => {
    expect((await patch(alice, { mode: 'self', agentId: 'hr-assistant' })).status).toBe(200);
    const report = (await (await f.call('GET', '/api/governance', { as: ivy })).json()) as GovernanceReport;
    const provisioned = report.identities.provisioned;
    expect(provisioned.map((identity) => identity.id).sort()).toEqual(['eng-assistant', 'hr-assistant']);
    expect(provisioned.find((identity) => identity.id === 'hr-assistant')).toMatchObject({
      groups: ['hr'],
      provisionedBy: 'dana',
      threads: [thread],
    });
  });
});
