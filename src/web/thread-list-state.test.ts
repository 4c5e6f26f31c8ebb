import { describe, expect, it } from 'vitest';
import type { ThreadWire } from '../protocol/wire.ts';
import { withoutThread, withThread } from './thread-list-state.ts';

const thread = (id: string, title = id): ThreadWire => ({
  id,
  title,
  ownerId: 'alice',
  mode: 'user',
  agentId: null,
  createdAt: 0,
});

describe('thread list updates (issue 11.3)', () => {
  it('puts a thread the reader was added to on top, once', () => {
    const list = [thread('a'), thread('b')];
    expect(withThread(list, thread('c'))?.map((item) => item.id)).toEqual(['c', 'a', 'b']);
    const again = withThread(withThread(list, thread('c')), thread('c', 'renamed'));
    expect(again?.map((item) => [item.id, item.title])).toEqual([
      ['c', 'renamed'],
      ['a', 'a'],
      ['b', 'b'],
    ]);
  });

  it('drops a thread the reader left; unknown ids and a list still loading are left alone', () => {
    const list = [thread('a'), thread('b')];
    expect(withoutThread(list, 'a')?.map((item) => item.id)).toEqual(['b']);
    expect(withoutThread(list, 'zzz')).toBe(list);
    expect(withoutThread(null, 'a')).toBeNull();
    expect(withThread(null, thread('a'))).toBeNull();
  });
});
