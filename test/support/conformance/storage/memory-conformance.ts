import { describe, expect, it } from 'vitest';
import type { Memory } from '../../../../src/memory/types.ts';
import { freshStoreFor, type OpenStore, T0 } from './store-fixtures.ts';

const aMemory = (id: string, overrides: Partial<Memory> = {}): Memory => ({
  id,
  threadId: 't1',
  text: `fact ${id}`,
  requesterId: 'alice',
  createdAt: T0,
  labels: ['public', 'hr-confidential'],
  origin: {
    runId: 'run-1',
    callId: 'run-1:call-2',
    messageId: 'msg-1',
    sources: [
      { kind: 'context', labels: ['public'] },
      { kind: 'tool-call', callId: 'run-1:call-1', tool: 'sql', at: T0 - 5, labels: ['hr-confidential'] },
    ],
  },
  ...overrides,
});

/** MemoryStore: memories keep their labels and origin exactly; listed per thread, oldest first. */
export function describeMemoryConformance(open: OpenStore): void {
  const store = freshStoreFor(open);

  describe('memories', () => {
    it('stores a memory and reads it back with its labels and origin', async () => {
      await store().memories.create(aMemory('mem-1'));
      expect(await store().memories.get('mem-1')).toEqual(aMemory('mem-1'));
      expect(await store().memories.get('mem-none')).toBeUndefined();
    });

    it('lists the memories of one thread, oldest first and by id on ties', async () => {
      await store().memories.create(aMemory('mem-b', { createdAt: T0 + 1 }));
      await store().memories.create(aMemory('mem-c', { createdAt: T0 }));
      await store().memories.create(aMemory('mem-a', { createdAt: T0 + 1 }));
      await store().memories.create(aMemory('mem-other', { threadId: 't2' }));
      const ids = (memories: Memory[]) => memories.map((memory) => memory.id);
      expect(ids(await store().memories.listByThread('t1'))).toEqual(['mem-c', 'mem-a', 'mem-b']);
      expect(ids(await store().memories.listByThread('t2'))).toEqual(['mem-other']);
      expect(await store().memories.listByThread('t3')).toEqual([]);
    });

    it('deletes a memory once; deleting again or an unknown id returns false', async () => {
      await store().memories.create(aMemory('mem-1'));
      await store().memories.create(aMemory('mem-2'));
      expect(await store().memories.delete('mem-1')).toBe(true);
      expect(await store().memories.delete('mem-1')).toBe(false);
      expect((await store().memories.listByThread('t1')).map((memory) => memory.id)).toEqual(['mem-2']);
    });

    it('refuses a second memory with the same id', async () => {
      await store().memories.create(aMemory('mem-1'));
      await expect(store().memories.create(aMemory('mem-1', { text: 'other' }))).rejects.toThrow();
      expect((await store().memories.get('mem-1'))?.text).toBe('fact mem-1');
    });
  });
}
