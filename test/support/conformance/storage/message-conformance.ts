import { describe, expect, it } from 'vitest';
import type { Message } from '../../../../src/threads/types.ts';
import { aMessage, aThread, freshStoreFor, type OpenStore } from './store-fixtures.ts';

/** MessageStore: per-thread sequence numbers, exact round trips, declassification. */
export function describeMessageConformance(open: OpenStore): void {
  const store = freshStoreFor(open);
  const withThreads = async (...ids: string[]) => {
    for (const id of ids) await store().threads.create(aThread(id), ['alice']);
  };

  describe('messages', () => {
    it('assigns seq 1, 2, 3 per thread, independently across threads', async () => {
      await withThreads('thr-1', 'thr-2');
      const seqs: number[] = [];
      for (const [id, thread] of [
        ['m1', 'thr-1'],
        ['m2', 'thr-2'],
        ['m3', 'thr-1'],
        ['m4', 'thr-1'],
        ['m5', 'thr-2'],
      ] as const) {
        seqs.push((await store().messages.append(aMessage(id, thread))).seq);
      }
      expect(seqs).toEqual([1, 1, 2, 3, 2]);
    });

    it('gives 50 concurrent appends to one thread the contiguous seqs 1..50', async () => {
      await withThreads('thr-1', 'thr-2');
      const appended = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          store().messages.append(aMessage(`m${index}`, index % 5 === 0 ? 'thr-2' : 'thr-1')),
        ),
      );
      const seqsOf = (thread: string) =>
        appended
          .filter((message) => message.threadId === thread)
          .map((message) => message.seq)
          .sort((a, b) => a - b);
      expect(seqsOf('thr-1')).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
      expect(seqsOf('thr-2')).toEqual(Array.from({ length: 10 }, (_, index) => index + 1));
    });

    it('round-trips every field of an agent answer exactly', async () => {
      await withThreads('thr-1');
      const answer = aMessage('m1', 'thr-1', {
        kind: 'agent',
        authorId: null,
        text: 'Bob’s pipeline: **€1.2M** ✓\nline two',
        audience: { kind: 'users', users: ['bob', 'alice'] },
        labels: ['sales-pipeline:emea', 'public'],
        runId: 'run-1',
        requesterId: 'bob',
        privateReason: 'carol is not cleared for sales-pipeline:emea',
      });
      const appended = await store().messages.append(answer);
      expect(appended).toEqual({ ...answer, seq: 1 });
      expect(await store().messages.get('m1')).toEqual(appended);
    });

    it('round-trips the label origins and the part of a split answer (issue 10 points 2 and 3)', async () => {
      await withThreads('thr-1');
      const origins = [
        {
          label: 'hr-confidential',
          kind: 'tool' as const,
          tool: 'sql',
          callId: 'run-1:c1',
          detail: 'compensation',
          at: 1_700_000_000_000,
        },
        { label: 'public', kind: 'message' as const, detail: 'm0', at: 1_700_000_000_000 },
      ];
      const part = {
        ...aMessage('m2', 'thr-1'),
        kind: 'agent' as const,
        labelOrigins: origins,
        answerPart: 'shared' as const,
      };
      expect(await store().messages.append(part)).toEqual({ ...part, seq: 1 });
      expect(await store().messages.get('m2')).toEqual({ ...part, seq: 1 });
      // A message without them reads back without them (no empty fields).
      await store().messages.append(aMessage('m3', 'thr-1'));
      const plain = await store().messages.get('m3');
      expect(plain).not.toHaveProperty('labelOrigins');
      expect(plain).not.toHaveProperty('answerPart');
    });

    it('returns undefined for an unknown message', async () => {
      expect(await store().messages.get('nope')).toBeUndefined();
    });

    it('refuses a message for a thread that does not exist', async () => {
      await expect(store().messages.append(aMessage('m1', 'nope'))).rejects.toThrow();
    });

    it('refuses a second message with the same id', async () => {
      await withThreads('thr-1');
      await store().messages.append(aMessage('m1', 'thr-1'));
      await expect(store().messages.append(aMessage('m1', 'thr-1'))).rejects.toThrow();
      expect(await store().messages.list('thr-1')).toHaveLength(1);
    });

    it('lists in seq order, after a seq, up to a limit', async () => {
      await withThreads('thr-1', 'thr-2');
      for (let index = 1; index <= 6; index++) await store().messages.append(aMessage(`m${index}`, 'thr-1'));
      await store().messages.append(aMessage('other', 'thr-2'));
      const seqs = (messages: Message[]) => messages.map((message) => message.seq);
      expect(seqs(await store().messages.list('thr-1'))).toEqual([1, 2, 3, 4, 5, 6]);
      expect(seqs(await store().messages.list('thr-1', { afterSeq: 4 }))).toEqual([5, 6]);
      expect(seqs(await store().messages.list('thr-1', { limit: 2 }))).toEqual([1, 2]);
      expect(seqs(await store().messages.list('thr-1', { afterSeq: 2, limit: 3 }))).toEqual([3, 4, 5]);
      expect(await store().messages.list('nope')).toEqual([]);
    });

    it('shares a private answer: thread audience, its readers and sharer; labels, seq and text unchanged', async () => {
      await withThreads('thr-1');
      const original = await store().messages.append(
        aMessage('m1', 'thr-1', {
          kind: 'agent',
          authorId: null,
          labels: ['hr-confidential'],
          audience: { kind: 'users', users: ['bob'] },
        }),
      );
      expect(original.sharedWith).toEqual([]);
      const shared = await store().messages.share('m1', { sharedWith: ['alice', 'bob', 'carol'], sharedBy: 'bob' });
      expect(shared).toEqual({
        ...original,
        audience: { kind: 'thread' },
        labels: ['hr-confidential'],
        sharedBy: 'bob',
        sharedWith: ['alice', 'bob', 'carol'],
      });
      expect(await store().messages.get('m1')).toEqual(shared);
    });

    it('refuses to share an unknown message with not_found', async () => {
      await expect(store().messages.share('nope', { sharedWith: ['bob'], sharedBy: 'bob' })).rejects.toMatchObject({
        code: 'not_found',
      });
    });
  });
}
