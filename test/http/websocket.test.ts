import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, type ServerOptions, startServer } from '../../src/http/server.ts';
import type { MessageItemWire, ServerFrame, SessionResponse } from '../../src/protocol/wire.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { refusedStatus, TestSocket } from './ws-client.ts';

const Q3 = ACME_THREAD.id;

interface Session {
  token: string;
  cookie: string;
  csrfToken: string;
}

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

async function serve(options: Partial<ServerOptions> = {}): Promise<RunningServer> {
  return startServer({ app, port: 0, webRoot: null, ...options });
}

async function signIn(server: RunningServer, user: string): Promise<Session> {
  const response = await fetch(`${server.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  const body = (await response.json()) as SessionResponse;
  return { token: body.token, cookie: `behalf_session=${body.token}`, csrfToken: body.csrfToken };
}

function wsUrl(server: RunningServer): string {
  return `${server.url.replace('http', 'ws')}/api/ws`;
}

function bearer(session: Session): Record<string, string> {
  return { authorization: `Bearer ${session.token}` };
}

/** A JSON response body, loosely typed for tests. */
// biome-ignore lint/suspicious/noExplicitAny: test responses are checked by assertions, not types
type Json = any;

async function api(server: RunningServer, session: Session, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...bearer(session), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: response.status === 204 ? null : ((await response.json()) as Json) };
}

async function connect(server: RunningServer, session: Session, threadId?: string): Promise<TestSocket> {
  const socket = await TestSocket.open(wsUrl(server), bearer(session));
  if (threadId) expect(await socket.subscribe(threadId)).toMatchObject({ type: 'subscribed' });
  return socket;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

function messageFrames(socket: TestSocket, messageId: string): MessageItemWire[] {
  return socket.frames
    .filter((frame): frame is Extract<ServerFrame, { type: 'message-created' }> => frame.type === 'message-created')
    .map((frame) => frame.message)
    .filter((message) => message.id === messageId);
}

describe('WebSocket: checks before the upgrade', () => {
  let server: RunningServer;
  let alice: Session;
  beforeAll(async () => {
    server = await serve({ allowedOrigins: ['https://app.example'] });
    alice = await signIn(server, 'alice');
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses a socket without credentials (401), with a bad token (401) or a token in the URL (400)', async () => {
    expect(await refusedStatus(wsUrl(server))).toBe(401);
    expect(await refusedStatus(wsUrl(server), { authorization: 'Bearer nope' })).toBe(401);
    expect(await refusedStatus(`${wsUrl(server)}?token=${alice.token}`)).toBe(400);
    expect(await refusedStatus(`${wsUrl(server)}?access_token=${alice.token}`)).toBe(400);
    expect(server.hub.stats().connections).toBe(0);
  });

  it('refuses a cross-origin socket even with a valid cookie (403); accepts same origin and configured origins', async () => {
    expect(await refusedStatus(wsUrl(server), { cookie: alice.cookie, origin: 'https://evil.example' })).toBe(403);
    expect(await refusedStatus(wsUrl(server), { ...bearer(alice), origin: 'null' })).toBe(403);
    const sameOrigin = await TestSocket.open(wsUrl(server), { cookie: alice.cookie, origin: server.url });
    const configured = await TestSocket.open(wsUrl(server), { cookie: alice.cookie, origin: 'https://app.example' });
    const noBrowser = await TestSocket.open(wsUrl(server), bearer(alice));
    expect(await sameOrigin.subscribe(Q3)).toMatchObject({ type: 'subscribed', threadId: Q3 });
    for (const socket of [sameOrigin, configured, noBrowser]) socket.close();
  });
});

// Issue 7 point 6: one person (or whoever holds their session) cannot exhaust the server's sockets.
describe('WebSocket: connections per person', () => {
  let server: RunningServer;
  let alice: Session;
  let bob: Session;
  beforeAll(async () => {
    server = await serve({ realtime: { maxConnectionsPerUser: 3 } });
    [alice, bob] = await Promise.all([signIn(server, 'alice'), signIn(server, 'bob')]);
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses the upgrade past the cap (429), across sessions; the open sockets keep working', async () => {
    const second = await signIn(server, 'alice');
    const open = [
      await connect(server, alice),
      await connect(server, alice),
      await TestSocket.open(wsUrl(server), { cookie: second.cookie, origin: server.url }),
    ];
    expect(await refusedStatus(wsUrl(server), bearer(alice))).toBe(429);
    expect(await refusedStatus(wsUrl(server), bearer(second))).toBe(429);
    expect(server.hub.stats().connections).toBe(3);
    for (const socket of open) expect(await socket.subscribe(Q3)).toMatchObject({ type: 'subscribed', threadId: Q3 });
    // Another person is not affected.
    const bobs = await connect(server, bob, Q3);
    // Closing one frees its slot.
    open[0]?.close();
    await open[0]?.closed;
    await waitFor(() => server.hub.stats().connections === 3);
    const again = await connect(server, alice, Q3);
    for (const socket of [...open, bobs, again]) socket.close();
    await waitFor(() => server.hub.stats().connections === 0);
  });

  it('concurrent upgrades never leave more than the cap open', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => TestSocket.open(wsUrl(server), bearer(bob))),
    );
    const sockets = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    // Most are refused 429; one that raced past the check is closed at once (1013, try again later).
    const closes = await Promise.all(
      sockets.map((socket) => Promise.race([socket.closed, sleep(300).then(() => null)])),
    );
    const kept = sockets.filter((_, index) => closes[index] === null);
    expect(kept).toHaveLength(3);
    for (const close of closes) if (close) expect(close.code).toBe(1013);
    expect(server.hub.stats().connections).toBe(3);
    for (const socket of sockets) socket.close();
  });
});

describe('WebSocket: subscriptions and per-reader delivery', () => {
  let server: RunningServer;
  const sessions: Record<string, Session> = {};
  beforeAll(async () => {
    server = await serve({ agentInvocationsPerMinute: 100 });
    for (const user of ['alice', 'bob', 'carol', 'dana']) sessions[user] = await signIn(server, user);
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers malformed frames with an error frame and pings with pong', async () => {
    const socket = await connect(server, sessions.alice as Session);
    socket.socket.send('not json');
    socket.send({ type: 'subscribe', threadId: 'bad id!' });
    socket.send({ type: 'shout' });
    socket.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    socket.send({ type: 'ping' });
    await socket.next((frame) => frame.type === 'pong');
    expect(socket.frames.filter((frame) => frame.type === 'error')).toHaveLength(4);
    socket.close();
  });

  it('refuses a subscription to a thread the reader may not read, and delivers nothing from it', async () => {
    const dana = await connect(server, sessions.dana as Session);
    const refused = await dana.subscribe(Q3);
    expect(refused).toMatchObject({ type: 'error', threadId: Q3, error: { code: 'not_found' } });
    await api(server, sessions.bob as Session, 'POST', `/api/threads/${Q3}/messages`, { text: 'for members only' });
    await server.hub.settle();
    await sleep(50);
    expect(dana.frames.filter((frame) => frame.type !== 'error')).toEqual([]);
    dana.close();
  });

  it('never delivers a private answer to bob or carol live: placeholders only; answer deltas reach alice alone', async () => {
    const alice = await connect(server, sessions.alice as Session, Q3);
    const bob = await connect(server, sessions.bob as Session, Q3);
    const carol = await connect(server, sessions.carol as Session, Q3);
    const posted = await api(server, sessions.alice as Session, 'POST', `/api/threads/${Q3}/messages`, {
      text: '@agent what are the salaries?',
    });
    expect(posted.status).toBe(201);
    const runId = posted.body.run.id as string;
    await alice.next((frame) => frame.type === 'run-updated' && frame.run.id === runId && frame.run.status === 'done');
    await app.drain();
    await server.hub.settle();
    const run = await app.store.runs.get(runId);
    const answer = await app.store.messages.get(run?.answerMessageId as string);
    if (!answer) throw new Error('no answer');
    expect(answer.audience).toEqual({ kind: 'users', users: ['alice'] });

    const isAnswer = (frame: ServerFrame) => frame.type === 'message-created' && frame.message.id === answer?.id;
    await Promise.all([alice, bob, carol].map((socket) => socket.next(isAnswer)));
    await sleep(50);
    expect(messageFrames(alice, answer?.id as string)).toEqual([expect.objectContaining({ text: answer?.text })]);
    expect(alice.frames.some((frame) => frame.type === 'answer-delta' && frame.runId === runId)).toBe(true);
    for (const reader of [bob, carol]) {
      const views = messageFrames(reader, answer?.id as string);
      expect(views).toEqual([expect.objectContaining({ hidden: true, requesterId: 'alice' })]);
      expect(reader.frames.some((frame) => frame.type === 'answer-delta')).toBe(false);
      const everything = reader.raw.join('\n');
      expect(everything).not.toContain('185000');
      expect(everything).not.toContain(answer.text.slice(0, 60));
      // They do see that a run happened, and the trigger message itself.
      expect(reader.frames.some((frame) => frame.type === 'run-updated' && frame.run.id === runId)).toBe(true);
    }
    for (const socket of [alice, bob, carol]) socket.close();
  });

  it('closes a removed member’s subscriptions at once, on every socket, and delivers nothing more to them', async () => {
    const created = await api(server, sessions.alice as Session, 'POST', '/api/threads', {
      title: 'Reorg',
      members: ['bob', 'carol'],
    });
    const thread = created.body.id as string;
    const bob = await connect(server, sessions.bob as Session, thread);
    const carolOne = await connect(server, sessions.carol as Session, thread);
    const carolTwo = await connect(server, sessions.carol as Session, thread);

    const removed = await api(server, sessions.alice as Session, 'DELETE', `/api/threads/${thread}/members/carol`);
    expect(removed.status).toBe(204);
    for (const carol of [carolOne, carolTwo]) {
      // Written before the HTTP response was sent: no waiting on the event queue.
      await carol.next((frame) => frame.type === 'unsubscribed' && frame.threadId === thread, 500);
      expect(carol.frames.some((frame) => frame.type === 'member-removed' && frame.userId === 'carol')).toBe(true);
    }
    const seen = carolOne.frames.length;
    await api(server, sessions.alice as Session, 'POST', `/api/threads/${thread}/messages`, {
      text: 'after carol left',
    });
    await bob.next(
      (frame) =>
        frame.type === 'message-created' && 'text' in frame.message && frame.message.text === 'after carol left',
    );
    await server.hub.settle();
    expect(carolOne.frames.slice(seen)).toEqual([]);
    expect(await carolOne.subscribe(thread)).toMatchObject({ type: 'error', error: { code: 'not_found' } });
    for (const socket of [bob, carolOne, carolTwo]) socket.close();
  });

  it('logout closes the session’s sockets with 4401', async () => {
    const session = await signIn(server, 'bob');
    const socket = await connect(server, session, Q3);
    expect((await api(server, session, 'DELETE', '/api/session')).status).toBe(204);
    expect((await socket.closed).code).toBe(4401);
  });
});

describe('WebSocket: backpressure and heartbeats', () => {
  it('drops a slow consumer (4008) without stalling the others', async () => {
    const server = await serve({ realtime: { maxBufferedBytes: 64 * 1024, closeGraceMs: 10_000 } });
    try {
      const owner = await signIn(server, 'alice');
      const created = await api(server, owner, 'POST', '/api/threads', {
        title: 'Firehose',
        members: ['bob', 'carol'],
      });
      const thread = created.body.id as string;
      const fast = await connect(server, await signIn(server, 'bob'), thread);
      const slow = await connect(server, await signIn(server, 'carol'), thread);
      const tcp = (slow.socket as unknown as { _socket: Socket })._socket;
      tcp.pause();

      const text = 'x'.repeat(7000);
      let posted = 0;
      while (server.hub.stats().droppedSlow === 0 && posted < 5000) {
        await app.postMessage('alice', thread, `${text} ${posted}`);
        posted += 1;
        // Let the fast client read: it shares this process's event loop.
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(server.hub.stats().droppedSlow).toBe(1);
      await server.hub.settle();
      // The fast reader got every message while the slow one was stuck.
      await fast.next(
        (frame) =>
          frame.type === 'message-created' && 'text' in frame.message && frame.message.text === `${text} ${posted - 1}`,
      );
      tcp.resume();
      const closed = await slow.closed;
      expect(closed).toEqual({ code: 4008, reason: 'slow consumer: reconnect and refetch' });
      fast.close();
    } finally {
      await server.close();
    }
  }, 60_000);

  it('terminates a socket that stops answering pings, and keeps live ones', async () => {
    const server = await serve({ realtime: { heartbeatMs: 100 } });
    try {
      const session = await signIn(server, 'bob');
      const live = await connect(server, session);
      const dead = await connect(server, session);
      (dead.socket as unknown as { _socket: Socket })._socket.pause();
      await sleep(450);
      expect(server.hub.stats()).toMatchObject({ connections: 1, droppedDead: 1 });
      expect(live.socket.readyState).toBe(1);
      live.close();
      dead.close();
    } finally {
      await server.close();
    }
  });
});

describe('server lifecycle and the web UI', () => {
  it('close() closes open sockets (1001) and the HTTP server', async () => {
    const server = await serve();
    const socket = await connect(server, await signIn(server, 'alice'), Q3);
    await server.close();
    expect((await socket.closed).code).toBe(1001);
    await expect(fetch(`${server.url}/api/me`)).rejects.toThrow();
    await server.close();
  });

  it('serves the web UI with an SPA fallback, never for /api paths', async () => {
    const webRoot = await mkdtemp(join(tmpdir(), 'behalf-web-'));
    await writeFile(join(webRoot, 'index.html'), '<!doctype html><title>Behalf</title>');
    await writeFile(join(webRoot, 'app.js'), 'console.log(1)');
    const server = await serve({ webRoot });
    try {
      const index = await fetch(`${server.url}/`);
      expect(index.status).toBe(200);
      expect(await index.text()).toContain('<title>Behalf</title>');
      expect(await (await fetch(`${server.url}/app.js`)).text()).toBe('console.log(1)');
      const deep = await fetch(`${server.url}/threads/thr_q3_planning`);
      expect(deep.status).toBe(200);
      expect(await deep.text()).toContain('<title>Behalf</title>');
      // Never the SPA for /api: an anonymous request is refused before routing (closed by
      // default), a signed-in one to no route is a JSON 404.
      const api = await fetch(`${server.url}/api/nope`);
      expect(api.status).toBe(401);
      expect(await api.json()).toMatchObject({ error: { code: 'unauthenticated' } });
      const session = (await (
        await fetch(`${server.url}/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ user: 'bob' }),
        })
      ).json()) as { token: string };
      const signedIn = await fetch(`${server.url}/api/nope`, { headers: { authorization: `Bearer ${session.token}` } });
      expect(signedIn.status).toBe(404);
      expect(await signedIn.json()).toMatchObject({ error: { code: 'not_found' } });
      expect((await fetch(`${server.url}/../../etc/passwd`)).status).not.toBe(500);
    } finally {
      await server.close();
      await rm(webRoot, { recursive: true, force: true });
    }
  });
});
