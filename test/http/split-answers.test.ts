import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/http/server.ts';
import type {
  MessagesResponse,
  MessageWire,
  PostMessageResponse,
  RunWire,
  SessionResponse,
  ThreadWire,
} from '../../src/protocol/wire.ts';
import { leakingAfter, PUBLIC_FACT, SENTINEL, SENTINEL_PAY, splitAnswerTools } from '../support/split-answer-tools.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { TestSocket } from './ws-client.ts';

/**
 * Issue 10 points 2 and 3 over the wire: `audience` on `POST /api/threads/:id/messages`, the
 * parts of a split answer (`answerPart`, `RunWire.sharedMessageId`), label origins on answers and
 * in the trace, and the sentinel of data bob is not cleared for never reaching him over HTTP or
 * over his WebSocket, whichever audience dana asks for.
 */
describe('split-audience answers over HTTP and WebSocket (issue 10.2, 10.3)', () => {
  let app: TestApp;
  let server: RunningServer;
  let dana: string;
  let bob: string;
  let thread: string;
  let bobSocket: TestSocket;

  const api = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const signIn = async (user: string) => {
    const response = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user }),
    });
    return ((await response.json()) as SessionResponse).token;
  };

  beforeAll(async () => {
    app = await createTestApp({
      model: leakingAfter(['secret_pay', 'cafeteria_hours'], ['bob']),
      extraTools: () => splitAnswerTools(),
    });
    server = await startServer({ app, port: 0, webRoot: null });
    [dana, bob] = await Promise.all([signIn('dana'), signIn('bob')]);
    thread = ((await api(dana, 'POST', '/api/threads', { title: 'Split', members: ['bob'] })).body as ThreadWire).id;
    bobSocket = await TestSocket.open(`${server.url.replace('http', 'ws')}/api/ws`, {
      authorization: `Bearer ${bob}`,
    });
    expect(await bobSocket.subscribe(thread)).toMatchObject({ type: 'subscribed' });
  });
  afterAll(async () => {
    bobSocket?.socket.close();
    await server?.close();
    await app?.close();
  });

  async function ask(text: string, audience?: string) {
    const posted = await api(dana, 'POST', `/api/threads/${thread}/messages`, {
      text,
      ...(audience === undefined ? {} : { audience }),
    });
    expect(posted.status).toBe(201);
    const runId = (posted.body as PostMessageResponse).run?.id as string;
    await app.drain();
    return (await api(dana, 'GET', `/api/runs/${runId}`)).body as RunWire;
  }
  const messagesOf = async (token: string) =>
    ((await api(token, 'GET', `/api/threads/${thread}/messages`)).body as MessagesResponse).messages;

  it('refuses an audience other than "me" or "room" with 400 and a clear message', async () => {
    for (const audience of ['everyone', 'ROOM', 1, null]) {
      const response = await api(dana, 'POST', `/api/threads/${thread}/messages`, { text: '@agent hi', audience });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 'validation_failed' } });
      expect(JSON.stringify(response.body)).toMatch(/answer for me/);
      expect(JSON.stringify(response.body)).toMatch(/audience/);
    }
  });

  it('answer for me (the default): the run names both parts; each carries its origins', async () => {
    const run = await ask('@agent pay and cafeteria hours');
    expect(run).toMatchObject({ status: 'done', audience: 'me' });
    expect(run.sharedMessageId).toEqual(expect.any(String));
    const danaView = await messagesOf(dana);
    const privatePart = danaView.find((message) => message.id === run.answerMessageId) as MessageWire;
    const sharedPart = danaView.find((message) => message.id === run.sharedMessageId) as MessageWire;
    expect(privatePart).toMatchObject({ answerPart: 'private', audience: { kind: 'users', users: ['dana'] } });
    expect(privatePart.text).toContain(SENTINEL);
    expect(privatePart.privateReason).toMatch(/the `compensation` rows of the secret_pay call at \d\d:\d\d/);
    expect(privatePart.labelOrigins).toContainEqual(
      expect.objectContaining({ label: 'hr-confidential', kind: 'tool', tool: 'secret_pay', detail: 'compensation' }),
    );
    expect(sharedPart).toMatchObject({ answerPart: 'shared', audience: { kind: 'thread' }, labels: ['public'] });
    expect(sharedPart.text).toContain(PUBLIC_FACT);
    expect(sharedPart.labelOrigins).toContainEqual(
      expect.objectContaining({ label: 'public', kind: 'tool', tool: 'cafeteria_hours' }),
    );
    // The trace (requester only) records one disclosure step per part, with the origins.
    const disclosures = (run.steps ?? []).filter((step) => step.kind === 'disclosure');
    expect(disclosures.map((step) => step.kind === 'disclosure' && step.part)).toEqual(['private', 'shared']);
    // bob reads the shared part and a placeholder for the private one.
    const bobView = await messagesOf(bob);
    expect(bobView.find((message) => message.id === run.sharedMessageId)).toMatchObject({ text: sharedPart.text });
    expect(bobView.find((message) => message.id === run.answerMessageId)).toMatchObject({ hidden: true });
    // bob's view of the run is a summary: no steps, no origins.
    const bobRun = (await api(bob, 'GET', `/api/runs/${run.id}`)).body as RunWire;
    expect(bobRun).not.toHaveProperty('steps');
    expect(bobRun.sharedMessageId).toBe(run.sharedMessageId);
  });

  it('answer for the room: the thread gets the shared part, dana a notice of what was left out', async () => {
    const run = await ask('@agent pay and cafeteria hours for the room', 'room');
    expect(run).toMatchObject({ status: 'done', audience: 'room' });
    const danaView = await messagesOf(dana);
    const notice = danaView.find((message) => message.id === run.answerMessageId) as MessageWire;
    expect(notice).toMatchObject({ answerPart: 'private', audience: { kind: 'users', users: ['dana'] } });
    expect(notice.text).toMatch(/Left out/);
    expect(notice.text).toMatch(/secret_pay call/);
    expect(notice.text).not.toContain(SENTINEL);
    const shared = danaView.find((message) => message.id === run.sharedMessageId) as MessageWire;
    expect(shared.text).toContain(PUBLIC_FACT);
  });

  it('the sentinel never reached bob, over HTTP or his WebSocket', async () => {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const received = JSON.stringify(bobSocket.frames);
    expect(received).toContain(PUBLIC_FACT);
    const read = JSON.stringify(await messagesOf(bob));
    for (const text of [received, read]) {
      expect(text).not.toContain(SENTINEL);
      expect(text).not.toContain(String(SENTINEL_PAY));
    }
  });
});
