import type { DomainEvent } from '../../events/types.ts';
import type { UserId } from '../../identity/types.ts';
import type { ServerFrame } from '../../protocol/wire.ts';
import type { Message } from '../../threads/types.ts';
import type { HiddenMessage } from '../../threads/visibility.ts';
import { toApprovalWire, toMessageItemWire, toThreadWire } from '../wire-mappers.ts';

/** What delivery decisions read, at delivery time (I3). */
export interface DeliveryDecider {
  /** Current members of the thread. */
  members(threadId: string): Promise<readonly UserId[]>;
  /** The message as each reader may see it, or its placeholder (I5); same order as `readers`. */
  views(readers: readonly UserId[], message: Message): Promise<Array<Message | HiddenMessage>>;
}

/**
 * Everything the WebSocket hub asks of the engine (instead of the whole engine): the events to
 * deliver, whether a person may follow a thread, and the per-reader delivery decisions. Built by
 * the composition root.
 */
export interface RealtimeDeliveryPort extends DeliveryDecider {
  /** Subscribes to the engine's events; returns the unsubscribe function. */
  subscribe(handler: (event: DomainEvent) => void): () => void;
  /** Resolves when `userId` may read the thread now (I8); rejects with an `AppError` otherwise. */
  authorizeSubscription(userId: UserId, threadId: string): Promise<void>;
}

/** One frame and the readers who get exactly that frame. */
export interface Delivery {
  readers: UserId[];
  frame: ServerFrame;
}

/** The outcome of deciding one event for the readers subscribed to its thread. */
export interface DeliveryPlan {
  /** Frames grouped by audience view: each is serialized once, whatever the number of sockets. */
  deliveries: Delivery[];
  /** Subscribed readers who are no longer members: their subscriptions must close. */
  departed: UserId[];
  /**
   * Frames for every socket of the listed people, whatever threads those sockets follow: the
   * news that their own thread list changed (`thread-added`, `thread-removed`).
   */
  personal: Delivery[];
}

/** Whether an event changes someone's own thread list, so it matters even with no subscriber. */
export function changesThreadList(event: DomainEvent): boolean {
  return event.type === 'member-added' || event.type === 'member-removed';
}

/**
 * Decides who receives an event and in what shape, per reader and now (I3, I5, I8): membership
 * is re-read; a message goes to each reader as they may see it (the message, or a placeholder
 * with the reason); answer deltas and approval requests go to the requester only. Readers whose
 * view is identical share one frame, so an event is serialized once per distinct view.
 *
 * Membership changes also tell the person concerned on all their sockets (`personal`), decided
 * on the membership read here: `thread-added` only if they are still a member, `thread-removed`
 * only if they are still not one (a quick re-add wins, and nothing about the thread but its id
 * ever reaches a non-member).
 */
export async function planDelivery(
  event: DomainEvent,
  subscribed: readonly UserId[],
  decider: DeliveryDecider,
): Promise<DeliveryPlan> {
  const members = new Set(await decider.members(event.threadId));
  const readers = subscribed.filter((reader) => members.has(reader));
  const departed = subscribed.filter((reader) => !members.has(reader));
  const threadId = event.threadId;
  const toAll = (frame: ServerFrame, personal: Delivery[] = []): DeliveryPlan => ({
    deliveries: readers.length > 0 ? [{ readers, frame }] : [],
    departed,
    personal,
  });
  const toOne = (userId: UserId, frame: ServerFrame): DeliveryPlan => ({
    deliveries: readers.includes(userId) ? [{ readers: [userId], frame }] : [],
    departed,
    personal: [],
  });

  switch (event.type) {
    case 'message-created':
    case 'message-updated':
      return { deliveries: await messageDeliveries(event.message, readers, decider), departed, personal: [] };
    case 'run-updated':
      return toAll({
        type: 'run-updated',
        threadId,
        run: {
          id: event.runId,
          requesterId: event.requesterId,
          status: event.status,
          answerMessageId: event.answerMessageId,
        },
      });
    case 'answer-delta':
      return toOne(event.requesterId, { type: 'answer-delta', threadId, runId: event.runId, delta: event.delta });
    case 'approval-requested':
      return toOne(event.approval.requesterId, {
        type: 'approval-requested',
        threadId,
        approval: toApprovalWire(event.approval),
      });
    case 'member-added':
      return toAll(
        { type: 'member-added', threadId, userId: event.userId },
        members.has(event.userId) ? [{ readers: [event.userId], frame: { type: 'thread-added', threadId } }] : [],
      );
    case 'member-removed':
      return toAll(
        { type: 'member-removed', threadId, userId: event.userId },
        members.has(event.userId) ? [] : [{ readers: [event.userId], frame: { type: 'thread-removed', threadId } }],
      );
    case 'thread-updated':
      return toAll({ type: 'thread-updated', threadId, thread: toThreadWire(event.thread) });
    case 'approval-decided':
      // Internal coordination between processes; clients learn of it through `run-updated`.
      return { deliveries: [], departed, personal: [] };
  }
}

async function messageDeliveries(
  message: Message,
  readers: readonly UserId[],
  decider: DeliveryDecider,
): Promise<Delivery[]> {
  const views = readers.length > 0 ? await decider.views(readers, message) : [];
  const groups = new Map<string, Delivery>();
  readers.forEach((reader, index) => {
    const view = views[index] as Message | HiddenMessage;
    // Placeholders differ only by their reason; the visible message is the same for everyone.
    const key = 'hidden' in view ? `hidden:${view.reason}` : 'visible';
    const group = groups.get(key);
    if (group) group.readers.push(reader);
    else
      groups.set(key, {
        readers: [reader],
        frame: { type: 'message-created', threadId: message.threadId, message: toMessageItemWire(view) },
      });
  });
  return [...groups.values()];
}
