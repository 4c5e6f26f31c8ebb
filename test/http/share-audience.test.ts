import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  MessageItemWire,
  MessageWire,
  PostMessageResponse,
  RunWire,
  SharePreviewWire,
  ShareResponse,
  ThreadWire,
} from '../../src/protocol/wire.ts';
import { ACME_COMPENSATION } from '../support/acme/seed-data.ts';
import { createHttpFixture, type HttpFixture, type SignedIn } from './http-fixture.ts';

/**
 * Issue 7 point 3 (SPEC I5): a share releases the answer to the audience its preview named. A
 * share sent with a stale preview is refused with the new one; the answer keeps its labels, so
 * someone who joins later reads it only if cleared or after another share.
 */
describe('a share releases to the audience its preview named (issue 7.3)', () => {
  let f: HttpFixture;
  let alice: SignedIn;
  let bob: SignedIn;
  let erin: SignedIn;
  let gus: SignedIn;
  let thread: string;
  let answer: string;

  beforeAll(async () => {
    f = await createHttpFixture({ agentInvocationsPerMinute: 1000 });
    [alice, bob, erin, gus] = (await Promise.all(['alice', 'bob', 'erin', 'gus'].map((user) => f.signIn(user)))) as [
      SignedIn,
      SignedIn,
      SignedIn,
      SignedIn,
    ];
    thread = (
      (await (
        await f.call('POST', '/api/threads', { as: alice, body: { title: 'Comp review', members: ['bob'] } })
      ).json()) as ThreadWire
    ).id;
    const posted = (await (
      await f.call('POST', `/api/threads/${thread}/messages`, {
        as: alice,
        body: { text: '@agent /sql SELECT employee_id, salary FROM compensation' },
      })
    ).json()) as PostMessageResponse;
    await f.app.drain();
    const run = (await (await f.call('GET', `/api/runs/${posted.run?.id}`, { as: alice })).json()) as RunWire;
    answer = run.answerMessageId as string;
  });
  afterAll(() => f.close());

  const preview = async (as: SignedIn = alice) =>
    (await (await f.call('GET', `/api/messages/${answer}/share`, { as })).json()) as SharePreviewWire;
  const share = (body?: unknown) => f.call('POST', `/api/messages/${answer}/share`, { as: alice, body });
  const addMember = (user: string) => f.call('POST', `/api/threads/${thread}/members`, { as: alice, body: { user } });
  async function viewOf(as: SignedIn): Promise<MessageItemWire> {
    const items = (await (await f.call('GET', `/api/threads/${thread}/messages`, { as })).json()) as {
      messages: MessageItemWire[];
    };
    const item = items.messages.find((message) => message.id === answer);
    if (!item) throw new Error(`no answer for ${as.user}`);
    return item;
  }

  it('a member added between preview and share makes the share stale: 409 with the new preview, nothing released', async () => {
    const before = await preview();
    expect(before.readers).toEqual(['alice', 'bob']);
    expect(before.newReaders.map((reader) => reader.userId)).toEqual(['bob']);
    expect((await addMember('gus')).status).toBe(200);
    const stale = await share({ version: before.version });
    expect(stale.status).toBe(409);
    const body = (await stale.json()) as { error: { code: string; data: { preview: SharePreviewWire } } };
    expect(body.error.code).toBe('conflict');
    expect(body.error.data.preview.readers).toEqual(['alice', 'bob', 'gus']);
    expect(body.error.data.preview.newReaders.map((reader) => reader.userId)).toEqual(['bob', 'gus']);
    expect((await viewOf(gus)).hidden).toBe(true);
    expect((await viewOf(bob)).hidden).toBe(true);
  });

  it('a share with the current preview releases to exactly its readers, recorded and audited; labels stay', async () => {
    const current = await preview();
    const response = await share({ version: current.version });
    expect(response.status).toBe(200);
    const shared = ((await response.json()) as ShareResponse).message;
    expect(shared.labels).toContain('hr-confidential');
    expect(shared.sharedWith).toEqual(['alice', 'bob', 'gus']);
    for (const reader of [bob, gus]) expect((await viewOf(reader)).hidden).toBeFalsy();
    await f.app.audit.drain();
    const [record] = await f.app.store.audit.query({ action: 'message.share', decision: 'allow' });
    expect(record?.reason).toMatch(/released to alice, bob, gus/);
  });

  it('someone who joins later sees a placeholder saying it was shared before they joined', async () => {
    expect((await addMember('erin')).status).toBe(200);
    const view = await viewOf(erin);
    expect(view.hidden).toBe(true);
    if (view.hidden) expect(view.reason).toMatch(/shared before you joined/i);
    // Its words only: ids and timestamps may contain any digits.
    const text = view.hidden ? view.reason : view.text;
    for (const { salary } of Object.values(ACME_COMPENSATION)) expect(text).not.toContain(String(salary));
  });

  it('the requester may share again, with the newcomer named in the preview', async () => {
    const again = await preview();
    expect(again.newReaders.map((reader) => reader.userId)).toEqual(['erin']);
    expect((await share({ version: again.version })).status).toBe(200);
    expect((await viewOf(erin)).hidden).toBeFalsy();
    const nothingNew = await share({});
    expect(nothingNew.status).toBe(409);
  });

  it('only the requester shares, and a malformed body is refused', async () => {
    const bobs = await f.call('POST', `/api/messages/${answer}/share`, { as: bob, body: {} });
    expect(bobs.status).toBe(403);
    expect((await share({ version: 42 })).status).toBe(400);
    expect((await share({ version: 'x', audience: 'everyone' })).status).toBe(400);
  });

  it('a share without a version releases to the members as they are at that moment', async () => {
    const second = (await (
      await f.call('POST', `/api/threads/${thread}/messages`, {
        as: alice,
        body: { text: '@agent /sql SELECT employee_id, bonus FROM compensation' },
      })
    ).json()) as PostMessageResponse;
    await f.app.drain();
    const run = (await (await f.call('GET', `/api/runs/${second.run?.id}`, { as: alice })).json()) as RunWire;
    const response = await f.call('POST', `/api/messages/${run.answerMessageId}/share`, { as: alice });
    expect(response.status).toBe(200);
    const shared = ((await response.json()) as { message: MessageWire }).message;
    expect(shared.sharedWith).toEqual(['alice', 'bob', 'erin', 'gus']);
  });
});
