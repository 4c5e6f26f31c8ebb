import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Approval } from '../../src/agent/types.ts';
import type { DomainEvent, EventBus } from '../../src/events/types.ts';
import type { EventPayloadSource } from '../../src/storage/postgres/pg-event-payload.ts';
import type { Message, Thread } from '../../src/threads/types.ts';

/**
 * Two ends of one bus: `publisher` stands for the process where the engine publishes,
 * `subscriber` for another process of the same deployment (the same object for an in-process bus).
 */
export interface EventBusPair {
  publisher: EventBus;
  subscriber: EventBus;
  cleanup(): Promise<void>;
}

/**
 * Opens a fresh pair. `stored` is the deployment's store as far as events go: the suite stores
 * every object before publishing an event that carries it, as the engine does, so a bus may send
 * a large event by reference and load it on the other side.
 */
export type OpenEventBuses = (stored: MemoryPayloadSource) => Promise<EventBusPair>;

/** An in-memory `EventPayloadSource` the suite fills. */
export class MemoryPayloadSource implements EventPayloadSource {
  readonly messageMap = new Map<string, Message>();
  readonly approvalMap = new Map<string, Approval>();
  readonly threadMap = new Map<string, Thread>();
  readonly messages = { get: async (id: string) => this.messageMap.get(id) };
  readonly approvals = { get: async (id: string) => this.approvalMap.get(id) };
  readonly threads = { get: async (id: string) => this.threadMap.get(id) };
}

/** Records what a subscriber receives, and waits for it. */
class Inbox {
  readonly events: DomainEvent[] = [];
  readonly #waiters = new Set<() => void>();

  readonly handler = (event: DomainEvent): void => {
    this.events.push(event);
    for (const waiter of this.#waiters) waiter();
  };

  /** Resolves once `predicate` holds for the events received so far; fails after `timeoutMs`. */
  async until(predicate: (events: DomainEvent[]) => boolean, timeoutMs = 5000): Promise<void> {
    if (predicate(this.events)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms with ${this.events.length} events`));
      }, timeoutMs);
      const check = () => {
        if (!predicate(this.events)) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
    });
  }

  /** Resolves once the event tagged `marker` (see `aMarker`) has arrived. */
  untilMarker(marker: string): Promise<void> {
    return this.until((events) => events.some((event) => isMarker(event, marker)));
  }

  withoutMarkers(): DomainEvent[] {
    return this.events.filter((event) => !(event.type === 'member-added' && event.userId.startsWith('marker:')));
  }
}

/**
 * A barrier: a bus delivers one publisher's events in order, so once a marker published last
 * has arrived, everything published before it has arrived too, duplicates included.
 */
function aMarker(name: string): DomainEvent {
  return { type: 'member-added', threadId: 'thr-markers', userId: `marker:${name}` };
}

function isMarker(event: DomainEvent, name: string): boolean {
  return event.type === 'member-added' && event.userId === `marker:${name}`;
}

const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);

function aMessage(id: string, text: string): Message {
  return {
    id,
    threadId: 'thr-1',
    seq: 1,
    kind: 'agent',
    authorId: null,
    text,
    audience: { kind: 'users', users: ['bob'] },
    labels: ['sales-pipeline:emea'],
    runId: 'run-1',
    requesterId: 'bob',
    privateReason: 'carol is not cleared for sales-pipeline:emea',
    sharedBy: null,
    sharedWith: [],
    createdAt: T0,
  };
}

/**
 * The one suite every `EventBus` passes: delivery to subscribers on the other side exactly once,
 * in publish order, whole (however large the event), isolation of failing handlers,
 * unsubscribe and close.
 */
export function describeEventBusConformance(name: string, open: OpenEventBuses): void {
  describe(`EventBus conformance: ${name}`, () => {
    let stored: MemoryPayloadSource;
    let pair: EventBusPair | undefined;
    beforeEach(async () => {
      stored = new MemoryPayloadSource();
      pair = await open(stored);
    });
    afterEach(async () => {
      await pair?.cleanup();
      pair = undefined;
    });
    const buses = () => {
      if (!pair) throw new Error('the buses are only open inside a test');
      return pair;
    };

    it('delivers an event published on one side to a subscriber on the other, intact', async () => {
      const inbox = new Inbox();
      buses().subscriber.subscribe(inbox.handler);
      const message = aMessage('m1', 'Bob’s pipeline: **€1.2M** ✓\nline two "quoted" \\ \u0000');
      stored.messageMap.set(message.id, message);
      const event: DomainEvent = { type: 'message-created', threadId: 'thr-1', message };
      buses().publisher.publish(event);
      await inbox.until((events) => events.length === 1);
      expect(inbox.events).toEqual([event]);
    });

    it('delivers each event exactly once to every subscriber on both sides', async () => {
      const remote = [new Inbox(), new Inbox()];
      const local = new Inbox();
      for (const inbox of remote) buses().subscriber.subscribe(inbox.handler);
      buses().publisher.subscribe(local.handler);
      const event: DomainEvent = { type: 'member-removed', threadId: 'thr-1', userId: 'carol' };
      buses().publisher.publish(event);
      buses().publisher.publish(aMarker('end'));
      for (const inbox of [...remote, local]) {
        await inbox.untilMarker('end');
        expect(inbox.withoutMarkers()).toEqual([event]);
      }
    });

    it('keeps the publish order of 200 events of every kind', async () => {
      const inbox = new Inbox();
      buses().subscriber.subscribe(inbox.handler);
      const published: DomainEvent[] = [];
      for (let index = 0; index < 200; index++) {
        const event: DomainEvent =
          index % 3 === 0
            ? { type: 'answer-delta', threadId: 'thr-1', runId: 'run-1', requesterId: 'bob', delta: `${index} ` }
            : index % 3 === 1
              ? {
                  type: 'run-updated',
                  threadId: 'thr-1',
                  runId: `run-${index}`,
                  requesterId: 'bob',
                  status: 'running',
                  answerMessageId: null,
                }
              : { type: 'member-added', threadId: 'thr-1', userId: `user-${index}` };
        published.push(event);
        buses().publisher.publish(event);
      }
      await inbox.until((events) => events.length >= 200);
      expect(inbox.events).toEqual(published);
    });

    it('carries events far larger than a NOTIFY payload, loading referenced objects where needed', async () => {
      const inbox = new Inbox();
      buses().subscriber.subscribe(inbox.handler);
      const message = aMessage('big', `${'Große Zahlen ✓ '.repeat(2000)}end`);
      const approval: Approval = {
        id: 'ap-1',
        runId: 'run-1',
        threadId: 'thr-1',
        requesterId: 'bob',
        tool: 'send-email',
        callId: 'call-1',
        args: { body: 'x'.repeat(20_000) },
        status: 'pending',
        always: false,
        createdAt: T0,
        decidedAt: null,
      };
      const thread: Thread = {
        id: 'thr-1',
        title: 'T'.repeat(9000),
        ownerId: 'alice',
        mode: 'user',
        agentId: null,
        createdAt: T0,
        version: 2,
      };
      stored.messageMap.set(message.id, message);
      stored.approvalMap.set(approval.id, approval);
      stored.threadMap.set(thread.id, thread);
      const delta = `${'€'.repeat(9000)}${'a'.repeat(9000)}\n`;
      const events: DomainEvent[] = [
        { type: 'message-created', threadId: 'thr-1', message },
        { type: 'approval-requested', threadId: 'thr-1', approval },
        { type: 'answer-delta', threadId: 'thr-1', runId: 'run-1', requesterId: 'bob', delta },
        { type: 'thread-updated', threadId: 'thr-1', thread },
        { type: 'message-updated', threadId: 'thr-1', message },
      ];
      for (const event of events) buses().publisher.publish(event);
      buses().publisher.publish(aMarker('end'));
      await inbox.untilMarker('end');
      const received = inbox.withoutMarkers();
      const deltas = received.filter((event) => event.type === 'answer-delta');
      const joined = deltas.map((event) => event.delta).join('');
      expect(joined.length).toBe(delta.length);
      expect(joined === delta, 'the deltas concatenate back to the original').toBe(true);
      for (const event of deltas) expect(event).toMatchObject({ runId: 'run-1', requesterId: 'bob' });
      expect(received.filter((event) => event.type !== 'answer-delta')).toEqual(
        events.filter((event) => event.type !== 'answer-delta'),
      );
      expect(received.map((event) => event.type).filter((type, index, all) => type !== all[index - 1])).toEqual(
        events.map((event) => event.type),
      );
    });

    it('stops delivering to a handler once it unsubscribes', async () => {
      const leaving = new Inbox();
      const staying = new Inbox();
      const unsubscribe = buses().subscriber.subscribe(leaving.handler);
      buses().subscriber.subscribe(staying.handler);
      buses().publisher.publish(aMarker('first'));
      await leaving.untilMarker('first');
      unsubscribe();
      buses().publisher.publish(aMarker('second'));
      await staying.untilMarker('second');
      expect(leaving.events).toHaveLength(1);
    });

    it('keeps delivering to other handlers when one throws', async () => {
      const inbox = new Inbox();
      buses().subscriber.subscribe(() => {
        throw new Error('handler failed');
      });
      buses().subscriber.subscribe(inbox.handler);
      buses().publisher.publish(aMarker('one'));
      buses().publisher.publish(aMarker('two'));
      await inbox.untilMarker('two');
      expect(inbox.events).toHaveLength(2);
    });

    it('delivers nothing to the subscribers of a closed bus, and closes twice without error', async () => {
      const inbox = new Inbox();
      buses().subscriber.subscribe(inbox.handler);
      await buses().subscriber.close();
      await buses().subscriber.close();
      buses().publisher.publish(aMarker('after-close'));
      // No barrier can pass through a closed bus: wait well past a loopback round trip instead.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(inbox.events).toEqual([]);
    });
  });
}
