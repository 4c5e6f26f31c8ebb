import type { ApprovalStore } from '../../agent/types.ts';
import type { DomainEvent } from '../../events/types.ts';
import { AppError } from '../../protocol/errors.ts';
import type { MessageStore, ThreadStore } from '../../threads/types.ts';

/**
 * PostgreSQL refuses a NOTIFY payload of this many bytes or more (the default build's limit).
 */
export const NOTIFY_PAYLOAD_LIMIT = 8000;

/**
 * Where a receiver loads what a too-large event only referred to: the deployment's store, which
 * every process shares. A `Store` is one.
 */
export interface EventPayloadSource {
  messages: Pick<MessageStore, 'get'>;
  approvals: Pick<ApprovalStore, 'get'>;
  threads: Pick<ThreadStore, 'get'>;
}

/**
 * An event by reference: what to load instead of the object the event carried. Events are
 * published after their object is stored, so a receiver finds it; it finds the *current* version,
 * which for these events is the one to show anyway.
 */
export type EventReference =
  | { type: 'message-created' | 'message-updated'; threadId: string; messageId: string }
  | { type: 'approval-requested'; threadId: string; approvalId: string }
  | { type: 'thread-updated'; threadId: string };

/**
 * One NOTIFY payload: version, origin (`o`: the publishing bus's id and a counter, so a bus
 * skips its own notifications and no two payloads are equal), and either the event itself (`e`)
 * or a reference to it (`r`).
 */
export type EventEnvelope =
  | { v: 1; o: string; e: DomainEvent; r?: undefined }
  | { v: 1; o: string; r: EventReference; e?: undefined };

/**
 * The payloads that carry `event` across processes, each under the NOTIFY limit. Most events
 * travel whole. Too large, an event carrying a message, an approval or a thread travels as a
 * reference to it, and an answer delta is split into consecutive smaller deltas (the reader
 * concatenates deltas anyway). Throws only for an event that none of this can shrink.
 *
 * `origin` is called once per payload and must return a different value each time (the bus's id
 * and a counter): PostgreSQL delivers identical payloads raised in one transaction only once, and
 * two pieces of a split delta may well be identical.
 */
export function encodeEvent(event: DomainEvent, origin: () => string, limit = NOTIFY_PAYLOAD_LIMIT): string[] {
  const whole = JSON.stringify({ v: 1, o: origin(), e: event } satisfies EventEnvelope);
  if (fits(whole, limit)) return [whole];
  if (event.type === 'answer-delta') return splitDelta(event, origin, limit);
  const reference = referenceTo(event);
  const referring = reference && JSON.stringify({ v: 1, o: origin(), r: reference } satisfies EventEnvelope);
  if (referring && fits(referring, limit)) return [referring];
  throw new AppError('payload_too_large', `A ${event.type} event is too large to send to other processes.`, {
    type: event.type,
    threadId: event.threadId,
  });
}

/**
 * Reads a payload back; undefined for anything that is not an envelope this version wrote (a
 * foreign or garbled NOTIFY on the channel must not reach subscribers).
 */
export function decodeEnvelope(payload: string): EventEnvelope | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || value.v !== 1 || typeof value.o !== 'string') return undefined;
  const body = value.e ?? value.r;
  if (!isRecord(body) || typeof body.type !== 'string' || typeof body.threadId !== 'string') return undefined;
  return value as EventEnvelope;
}

/** The event an envelope stands for, loading a referenced object; undefined when it is gone. */
export async function resolveEnvelope(
  envelope: EventEnvelope,
  source: EventPayloadSource,
): Promise<DomainEvent | undefined> {
  if (envelope.e) return envelope.e;
  const reference = envelope.r;
  switch (reference.type) {
    case 'message-created':
    case 'message-updated': {
      const message = await source.messages.get(reference.messageId);
      return message && { type: reference.type, threadId: reference.threadId, message };
    }
    case 'approval-requested': {
      const approval = await source.approvals.get(reference.approvalId);
      return approval && { type: reference.type, threadId: reference.threadId, approval };
    }
    case 'thread-updated': {
      const thread = await source.threads.get(reference.threadId);
      return thread && { type: reference.type, threadId: reference.threadId, thread };
    }
  }
}

function referenceTo(event: DomainEvent): EventReference | undefined {
  switch (event.type) {
    case 'message-created':
    case 'message-updated':
      return { type: event.type, threadId: event.threadId, messageId: event.message.id };
    case 'approval-requested':
      return { type: event.type, threadId: event.threadId, approvalId: event.approval.id };
    case 'thread-updated':
      return { type: event.type, threadId: event.threadId };
    default:
      return undefined;
  }
}

/** Halves the delta (at a code point) until every piece fits; the pieces concatenate back. */
function splitDelta(
  event: Extract<DomainEvent, { type: 'answer-delta' }>,
  origin: () => string,
  limit: number,
): string[] {
  const payload = JSON.stringify({ v: 1, o: origin(), e: event } satisfies EventEnvelope);
  if (fits(payload, limit)) return [payload];
  const characters = Array.from(event.delta);
  if (characters.length <= 1) {
    throw new AppError('payload_too_large', 'An answer-delta event is too large to send to other processes.', {
      threadId: event.threadId,
    });
  }
  const middle = Math.floor(characters.length / 2);
  return [
    ...splitDelta({ ...event, delta: characters.slice(0, middle).join('') }, origin, limit),
    ...splitDelta({ ...event, delta: characters.slice(middle).join('') }, origin, limit),
  ];
}

function fits(payload: string, limit: number): boolean {
  return Buffer.byteLength(payload, 'utf8') < limit;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
