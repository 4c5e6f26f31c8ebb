import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXAMPLE_THREAD, EXAMPLE_USERS } from '../../../test/support/example-workspace.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import type { ServerFrame } from '../../protocol/wire.ts';
import type { Message } from '../../threads/types.ts';
import type { HubSocket } from './hub-socket.ts';
import { RealtimeHub, type RealtimeHubOptions } from './realtime-hub.ts';

const Q3: string = EXAMPLE_THREAD.id;

/** An in-memory socket: records what the hub sends, lets a test set `bufferedAmount`. */
class FakeSocket extends EventEmitter implements HubSocket {
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: Buffer[] = [];
  closedWith: { code?: number; reason?: string } | undefined;
  terminated = false;
  pings = 0;

  send(data: Buffer): void {
    this.sent.push(data);
  }
  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    this.readyState = 2;
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
    this.emit('close', 1006, Buffer.alloc(0));
  }
  ping(): void {
    this.pings += 1;
  }
  frames(): ServerFrame[] {
    return this.sent.map((data) => JSON.parse(data.toString()) as ServerFrame);
  }
  receive(frame: unknown): void {
    this.emit('message', Buffer.from(JSON.stringify(frame)), false);
  }
}

let app: TestApp;
let sequence = 0;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

/** A hub whose close() does not wait for fake sockets to finish their close handshake. */
function newHub(options: RealtimeHubOptions = {}): RealtimeHub {
  return new RealtimeHub(app.delivery, { closeGraceMs: 10, ...options });
}

async function connect(hub: RealtimeHub, userId: string, threadId = Q3): Promise<FakeSocket> {
  const socket = new FakeSocket();
  hub.accept(socket, { userId, sessionHash: `session-${userId}-${++sequence}` });
  socket.receive({ type: 'subscribe', threadId });
  for (let attempt = 0; attempt < 100 && socket.sent.length === 0; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return socket;
}

function answer(overrides: Partial<Message> = {}): Message {
  sequence += 1;
  return {
    id: `msg_test_${sequence}`,
    threadId: Q3,
    seq: 1000 + sequence,
    kind: 'agent',
    authorId: null,
    text: `Salaries: Alice Chen 185000 (${sequence})`,
    audience: { kind: 'users', users: ['alice'] },
    labels: ['hr-confidential'],
    runId: 'run_test',
    requesterId: 'alice',
    privateReason: 'others are not cleared',
    sharedBy: null,
    sharedWith: [],
    createdAt: 1,
    ...overrides,
  };
}

function messageFrames(socket: FakeSocket, id: string) {
  return socket.frames().filter((frame) => frame.type === 'message-created' && frame.message.id === id);
}

describe('RealtimeHub', () => {
  it('subscribes members only; a non-member gets an error frame and no subscription', async () => {
    const hub = newHub();
    const dana = await connect(hub, 'dana');
    expect(dana.frames()).toEqual([
      { type: 'error', threadId: Q3, error: { code: 'not_found', message: 'Thread not found' } },
    ]);
    expect(hub.stats().subscriptions).toBe(0);
    await hub.close();
  });

  it('serializes each event once per distinct view and writes the same buffer to every socket of that view', async () => {
    const hub = newHub();
    const alice = await connect(hub, 'alice');
    const bobOne = await connect(hub, 'bob');
    const bobTwo = await connect(hub, 'bob');
    const carol = await connect(hub, 'carol');
    const message = answer();
    app.events.publish({ type: 'message-created', threadId: Q3, message });
    await hub.settle();

    expect(messageFrames(alice, message.id)).toEqual([
      expect.objectContaining({ message: expect.objectContaining({ text: message.text }) }),
    ]);
    const placeholders = [bobOne, bobTwo, carol].map((socket) => socket.sent.at(-1) as Buffer);
    expect(new Set(placeholders).size).toBe(1);
    expect(placeholders[0]).not.toBe(alice.sent.at(-1));
    expect(placeholders[0]?.toString()).not.toContain('185000');
    expect(JSON.parse(placeholders[0]?.toString() as string)).toMatchObject({
      message: { id: message.id, hidden: true, reason: 'A private answer for another member' },
    });
    await hub.close();
  });

  it('decides at delivery time: a group change or a policy change takes effect at the next event (I3)', async () => {
    const hub = newHub();
    const bob = await connect(hub, 'bob');
    const shared = () => answer({ audience: { kind: 'thread' } });
    const first = shared();
    app.events.publish({ type: 'message-created', threadId: Q3, message: first });
    await hub.settle();
    expect(messageFrames(bob, first.id)[0]).toMatchObject({ message: { hidden: true } });

    const bobUser = EXAMPLE_USERS.find((user) => user.id === 'bob');
    await app.store.users.upsert({
      ...(bobUser as (typeof EXAMPLE_USERS)[number]),
      groups: ['sales', 'sales-emea', 'hr'],
    });
    const second = shared();
    app.events.publish({ type: 'message-created', threadId: Q3, message: second });
    await hub.settle();
    expect(messageFrames(bob, second.id)[0]).toMatchObject({ message: { text: second.text } });

    await app.store.users.upsert(bobUser as (typeof EXAMPLE_USERS)[number]);
    const third = shared();
    app.events.publish({ type: 'message-created', threadId: Q3, message: third });
    await hub.settle();
    expect(messageFrames(bob, third.id)[0]).toMatchObject({ message: { hidden: true } });

    const policies = app.policy.policies();
    await app.policy.update({
      ...policies,
      'test-bob-cleared':
        '@id("test-bob-cleared")\npermit (principal == User::"bob", action == Action::"readLabel", resource is Label);',
    });
    try {
      const fourth = shared();
      app.events.publish({ type: 'message-created', threadId: Q3, message: fourth });
      await hub.settle();
      expect(messageFrames(bob, fourth.id)[0]).toMatchObject({ message: { text: fourth.text } });
    } finally {
      await app.policy.update({ ...policies });
    }
    await hub.close();
  });

  it('answer deltas reach the requester only', async () => {
    const hub = newHub();
    const alice = await connect(hub, 'alice');
    const bob = await connect(hub, 'bob');
    app.events.publish({ type: 'answer-delta', threadId: Q3, runId: 'run_x', requesterId: 'alice', delta: '185000' });
    await hub.settle();
    expect(alice.frames().at(-1)).toEqual({ type: 'answer-delta', threadId: Q3, runId: 'run_x', delta: '185000' });
    expect(bob.frames().some((frame) => frame.type === 'answer-delta')).toBe(false);
    await hub.close();
  });

  it('closes a removed member’s subscriptions synchronously, before queued events are delivered', async () => {
    const hub = newHub();
    const alice = await connect(hub, 'alice');
    const carolOne = await connect(hub, 'carol');
    const carolTwo = await connect(hub, 'carol');
    const before = answer({ audience: { kind: 'thread' }, labels: ['public'] });
    // Queued first, but carol is removed in the same tick: she must not get it.
    app.events.publish({ type: 'message-created', threadId: Q3, message: before });
    app.events.publish({ type: 'member-removed', threadId: Q3, userId: 'carol' });
    for (const carol of [carolOne, carolTwo]) {
      expect(carol.frames().slice(-2)).toEqual([
        { type: 'member-removed', threadId: Q3, userId: 'carol' },
        { type: 'unsubscribed', threadId: Q3, reason: 'You are no longer a member of this thread' },
      ]);
    }
    await hub.settle();
    for (const carol of [carolOne, carolTwo]) expect(messageFrames(carol, before.id)).toEqual([]);
    expect(messageFrames(alice, before.id)).toHaveLength(1);
    expect(alice.frames().some((frame) => frame.type === 'member-removed')).toBe(true);
    await hub.close();
  });

  it('tells an added person on every socket, subscribed or not; never anyone else (issue 11.3)', async () => {
    const hub = newHub();
    const created = await app.threads.create('alice', { title: 'Hub list test', members: [] });
    const alice = await connect(hub, 'alice', created.id);
    const danaOne = await connect(hub, 'dana');
    const danaTwo = await connect(hub, 'dana');
    const erin = await connect(hub, 'erin');
    await app.threads.addMember('alice', created.id, 'dana');
    await hub.settle();
    for (const dana of [danaOne, danaTwo]) {
      expect(dana.frames().filter((frame) => frame.type === 'thread-added')).toEqual([
        { type: 'thread-added', threadId: created.id },
      ]);
    }
    expect(erin.frames().some((frame) => 'threadId' in frame && frame.threadId === created.id)).toBe(false);
    expect(alice.frames().filter((frame) => frame.type === 'thread-added')).toEqual([]);
    expect(alice.frames().at(-1)).toEqual({ type: 'member-added', threadId: created.id, userId: 'dana' });

    await app.threads.removeMember('alice', created.id, 'dana');
    await hub.settle();
    for (const dana of [danaOne, danaTwo]) {
      expect(dana.frames().at(-1)).toEqual({ type: 'thread-removed', threadId: created.id });
    }
    expect(erin.frames().some((frame) => 'threadId' in frame && frame.threadId === created.id)).toBe(false);
    await hub.close();
  });

  it('decides the added person at delivery time: added then removed before delivery tells them nothing', async () => {
    const hub = newHub();
    const created = await app.threads.create('alice', { title: 'Hub race test', members: [] });
    const dana = await connect(hub, 'dana');
    // The event claims dana was added, but she is not a member when it is delivered.
    app.events.publish({ type: 'member-added', threadId: created.id, userId: 'dana' });
    await hub.settle();
    expect(dana.frames().some((frame) => frame.type === 'thread-added')).toBe(false);
    await hub.close();
  });

  it('drops a socket over the backpressure limit (4008) and keeps delivering to the others', async () => {
    const hub = newHub({ maxBufferedBytes: 1000 });
    const alice = await connect(hub, 'alice');
    const slow = await connect(hub, 'bob');
    const fast = await connect(hub, 'bob');
    slow.bufferedAmount = 5000;
    const sentBefore = slow.sent.length;
    const message = answer({ audience: { kind: 'thread' }, labels: ['public'] });
    app.events.publish({ type: 'message-created', threadId: Q3, message });
    await hub.settle();
    expect(slow.closedWith).toEqual({ code: 4008, reason: 'slow consumer: reconnect and refetch' });
    expect(slow.sent.length).toBe(sentBefore);
    expect(messageFrames(fast, message.id)).toHaveLength(1);
    expect(messageFrames(alice, message.id)).toHaveLength(1);
    expect(hub.stats()).toMatchObject({ droppedSlow: 1, connections: 2 });
    await hub.close();
  });

  it('terminates sockets that miss a heartbeat and keeps those that answer', async () => {
    // The heartbeat runs on a fake clock: on a loaded machine a real 20 ms beat could fire twice
    // while `bob` was still connecting (before he answers pings) and drop him too.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const hub = newHub({ heartbeatMs: 20 });
    try {
      const dead = await connect(hub, 'alice');
      const live = await connect(hub, 'bob');
      live.ping = () => {
        live.pings += 1;
        live.emit('pong');
      };
      vi.advanceTimersByTime(20);
      expect(dead.terminated).toBe(false);
      expect(dead.pings).toBe(1);
      vi.advanceTimersByTime(100);
      expect(dead.terminated).toBe(true);
      expect(live.terminated).toBe(false);
      expect(live.pings).toBe(6);
      expect(hub.stats()).toMatchObject({ connections: 1, droppedDead: 1 });
    } finally {
      vi.useRealTimers();
      await hub.close();
    }
  });

  it('closes the sockets of a session that logged out (4401), and everything on close (1001)', async () => {
    const hub = newHub();
    const socket = new FakeSocket();
    hub.accept(socket, { userId: 'alice', sessionHash: 'logged-out' });
    const other = await connect(hub, 'bob');
    hub.closeSession('logged-out');
    expect(socket.closedWith?.code).toBe(4401);
    expect(other.closedWith).toBeUndefined();
    other.close = (code, reason) => {
      other.closedWith = { code, reason };
      other.readyState = 3;
    };
    await hub.close();
    expect(other.closedWith?.code).toBe(1001);
    expect(hub.stats().connections).toBe(0);
  });
});

describe('RealtimeHub resync', () => {
  it('asks every client to reconnect and refetch (1012) when events may have been missed', async () => {
    const hub = newHub();
    const alice = await connect(hub, 'alice');
    const bob = await connect(hub, 'bob');
    hub.resyncAll();
    for (const socket of [alice, bob]) expect(socket.closedWith?.code).toBe(1012);
    expect(hub.stats().connections).toBe(0);
    await hub.close();
  });
});

// Issue 7 point 6; over real sockets (429 before the upgrade) in `test/http/websocket.test.ts`.
describe('RealtimeHub connections per person', () => {
  it('closes a socket past its person’s cap (1013) even if it raced the upgrade check; a closed one frees its slot', async () => {
    const hub = newHub({ maxConnectionsPerUser: 2 });
    const [first, second] = [new FakeSocket(), new FakeSocket()];
    hub.accept(first, { userId: 'alice', sessionHash: 'a1' });
    hub.accept(second, { userId: 'alice', sessionHash: 'a2' });
    expect(hub.hasRoomFor('alice')).toBe(false);
    expect(hub.hasRoomFor('bob')).toBe(true);
    const third = new FakeSocket();
    hub.accept(third, { userId: 'alice', sessionHash: 'a3' });
    expect(third.closedWith?.code).toBe(1013);
    expect(first.closedWith).toBeUndefined();
    expect(hub.stats().connections).toBe(2);
    first.terminate();
    expect(hub.hasRoomFor('alice')).toBe(true);
    await hub.close();
  });
});
