import { describe, expect, it } from 'vitest';
import type { MessageItemWire } from '../protocol/wire.ts';
import { countUnseen, hasOwnAfter, latestSeq } from './new-messages.ts';

const item = (seq: number, authorId: string | null, kind: 'human' | 'agent' | 'system' = 'human'): MessageItemWire => ({
  id: `msg_${seq}`,
  threadId: 'thr_1',
  seq,
  kind,
  hidden: true,
  reason: 'r',
  authorId,
  requesterId: null,
  createdAt: 0,
});

describe('the "New messages" cue (issue 11.2)', () => {
  const messages = [item(1, 'bob'), item(2, 'alice'), item(3, 'bob'), item(4, null, 'agent'), item(5, 'alice')];

  it('counts what arrived after the last item seen, except the reader’s own messages', () => {
    expect(countUnseen(messages, 2, 'alice')).toBe(2);
    expect(countUnseen(messages, 5, 'alice')).toBe(0);
    expect(countUnseen(messages, -1, 'bob')).toBe(3);
  });

  it('knows when the reader posted something newer (the view follows it) and the latest seq', () => {
    expect(hasOwnAfter(messages, 4, 'alice')).toBe(true);
    expect(hasOwnAfter(messages, 5, 'alice')).toBe(false);
    expect(hasOwnAfter(messages, 3, 'carol')).toBe(false);
    expect(latestSeq(messages)).toBe(5);
    expect(latestSeq([])).toBe(-1);
  });
});
