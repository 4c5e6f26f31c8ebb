import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../events/types.ts';
import { decodeEnvelope, encodeEvent, NOTIFY_PAYLOAD_LIMIT } from './pg-event-payload.ts';

const counter = () => {
  let next = 0;
  return () => `bus-1#${next++}`;
};
const bytes = (payload: string) => Buffer.byteLength(payload, 'utf8');

describe('NOTIFY payloads', () => {
  it('sends an event that fits whole, and reads it back', () => {
    const event: DomainEvent = { type: 'member-added', threadId: 'thr-1', userId: 'carol' };
    const [payload, ...rest] = encodeEvent(event, counter());
    expect(rest).toEqual([]);
    expect(decodeEnvelope(payload as string)).toEqual({ v: 1, o: 'bus-1#0', e: event });
  });

  it('sends a message too large for NOTIFY by reference to its id', () => {
    const message = { id: 'm1', text: 'x'.repeat(NOTIFY_PAYLOAD_LIMIT) } as never;
    const payloads = encodeEvent({ type: 'message-created', threadId: 'thr-1', message }, counter());
    expect(payloads).toHaveLength(1);
    expect(decodeEnvelope(payloads[0] as string)?.r).toEqual({
      type: 'message-created',
      threadId: 'thr-1',
      messageId: 'm1',
    });
  });

  it('splits a large delta at code points into distinct payloads that each fit', () => {
    const delta = `${'😀'.repeat(3000)}${'a'.repeat(8000)}`;
    const payloads = encodeEvent(
      { type: 'answer-delta', threadId: 'thr-1', runId: 'run-1', requesterId: 'bob', delta },
      counter(),
    );
    expect(payloads.length).toBeGreaterThan(2);
    for (const payload of payloads) expect(bytes(payload)).toBeLessThan(NOTIFY_PAYLOAD_LIMIT);
    // PostgreSQL folds identical payloads of one transaction into one notification.
    expect(new Set(payloads).size).toBe(payloads.length);
    const pieces = payloads.map((payload) => {
      const event = decodeEnvelope(payload)?.e;
      return event?.type === 'answer-delta' ? event.delta : '';
    });
    expect(pieces.join('') === delta).toBe(true);
  });

  it('refuses, with payload_too_large, an event nothing can shrink', () => {
    const event: DomainEvent = { type: 'member-removed', threadId: 'thr-1', userId: 'u'.repeat(9000) };
    expect(() => encodeEvent(event, counter())).toThrow(expect.objectContaining({ code: 'payload_too_large' }));
  });

  it.each(['', 'null', '[]', '{"v":1}', '{"v":2,"o":"x","e":{"type":"a","threadId":"t"}}', '{"v":1,"o":"x","e":{}}'])(
    'reads %j as no envelope at all',
    (payload) => {
      expect(decodeEnvelope(payload)).toBeUndefined();
    },
  );
});
