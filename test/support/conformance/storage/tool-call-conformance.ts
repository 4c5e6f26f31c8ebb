import { describe, expect, it } from 'vitest';
import { freshStoreFor, type OpenStore, T0 } from './store-fixtures.ts';

const anIntent = (callId: string, runId = 'run-1') => ({
  callId,
  runId,
  tool: 'sql',
  argsHash: 'c'.repeat(64),
  startedAt: T0,
});

/** ToolCallStore: an intent per call id, so a call never executes twice (crash recovery). */
export function describeToolCallConformance(open: OpenStore): void {
  const store = freshStoreFor(open);

  describe('tool calls', () => {
    it('begins a call once; a duplicate call id returns false', async () => {
      expect(await store().toolCalls.begin(anIntent('call-1'))).toBe(true);
      expect(await store().toolCalls.begin({ ...anIntent('call-1'), tool: 'other', argsHash: 'd'.repeat(64) })).toBe(
        false,
      );
      expect(await store().toolCalls.listIncomplete()).toEqual([{ ...anIntent('call-1'), completedAt: null }]);
    });

    it('lets exactly one of many concurrent begins of one call id succeed', async () => {
      const begun = await Promise.all(Array.from({ length: 10 }, () => store().toolCalls.begin(anIntent('call-1'))));
      expect(begun.filter(Boolean)).toHaveLength(1);
    });

    it('lists only incomplete calls, optionally of one run', async () => {
      await store().toolCalls.begin(anIntent('call-1'));
      await store().toolCalls.begin({ ...anIntent('call-2', 'run-2'), startedAt: T0 + 1 });
      await store().toolCalls.begin({ ...anIntent('call-3'), startedAt: T0 + 2 });
      await store().toolCalls.complete('call-1', T0 + 5);
      const ids = (intents: { callId: string }[]) => intents.map((intent) => intent.callId);
      expect(ids(await store().toolCalls.listIncomplete())).toEqual(['call-2', 'call-3']);
      expect(ids(await store().toolCalls.listIncomplete({ runId: 'run-1' }))).toEqual(['call-3']);
    });

    it('still refuses a completed call id', async () => {
      await store().toolCalls.begin(anIntent('call-1'));
      await store().toolCalls.complete('call-1', T0 + 5);
      expect(await store().toolCalls.begin(anIntent('call-1'))).toBe(false);
    });

    it('completes an intent in the same transaction as its terminal tool.call audit record', async () => {
      await store().toolCalls.begin(anIntent('call-1'));
      await store().toolCalls.begin(anIntent('call-2'));
      const entry = (action: string, callId: string, at: number) => ({
        requester: 'alice',
        agent: 'behalf-agent',
        mode: 'user' as const,
        threadId: 't',
        runId: 'run-1',
        action,
        resource: 'tool:sql',
        decision: 'allow' as const,
        policies: [],
        callId,
        id: `aud-${action}-${callId}`,
        at,
      });
      // A data-access record of call-2 does not terminate it; the tool.call record of call-1 does.
      await store().audit.appendChained(
        [entry('data.query', 'call-2', T0 + 3), entry('tool.call', 'call-1', T0 + 4)],
        (head, entries) =>
          entries.map((each, index) => ({
            ...each,
            seq: head.seq + index + 1,
            prevHash: head.hash,
            hash: `${index}`.repeat(64),
          })),
      );
      expect((await store().toolCalls.listIncomplete()).map((intent) => intent.callId)).toEqual(['call-2']);
    });

    it('records intents and appends records in one commit, refusing call ids seen before', async () => {
      await store().toolCalls.begin(anIntent('call-0'));
      const chain = (head: { seq: number; hash: string }, entries: ReadonlyArray<{ id: string; at: number }>) =>
        entries.map((each, index) => ({
          ...(each as never as Record<string, unknown>),
          seq: head.seq + index + 1,
          prevHash: head.hash,
          hash: `${index}`.repeat(64),
        })) as never;
      const onlyIntents = await store().audit.commit(
        { intents: [anIntent('call-1'), anIntent('call-0')], entries: [] },
        chain,
      );
      expect(onlyIntents).toEqual({ begun: [true, false], records: [] });
      const both = await store().audit.commit(
        {
          intents: [anIntent('call-2'), anIntent('call-2')],
          entries: [
            {
              requester: 'alice',
              agent: 'behalf-agent',
              mode: 'user',
              threadId: 't',
              runId: 'run-1',
              action: 'tool.call',
              resource: 'tool:sql',
              decision: 'allow',
              policies: [],
              callId: 'call-1',
              id: 'aud-1',
              at: T0 + 9,
            },
          ],
        },
        chain,
      );
      expect(both.begun).toEqual([true, false]);
      expect(both.records.map((record) => record?.seq)).toEqual([1]);
      expect((await store().toolCalls.listIncomplete()).map((intent) => intent.callId).sort()).toEqual([
        'call-0',
        'call-2',
      ]);
    });

    it('keeps exactly one terminal record per call: a second tool.call for it is refused', async () => {
      await store().toolCalls.begin(anIntent('call-1'));
      const terminal = (id: string, decision: 'allow' | 'unknown') => ({
        requester: 'alice',
        agent: 'behalf-agent',
        mode: 'user' as const,
        threadId: 't',
        runId: 'run-1',
        action: 'tool.call',
        resource: 'tool:sql',
        decision,
        policies: [],
        callId: 'call-1',
        id,
        at: T0 + 1,
      });
      const note = { ...terminal('aud-note', 'allow'), action: 'data.query', id: 'aud-note' };
      const chain = (head: { seq: number; hash: string }, entries: ReadonlyArray<{ id: string; at: number }>) =>
        entries.map((each, index) => ({
          ...(each as never as Record<string, unknown>),
          seq: head.seq + index + 1,
          prevHash: head.hash,
          hash: `${head.seq + index}`.repeat(64).slice(0, 64),
        })) as never;
      // A reaper ended the call as unknown; the late terminal record of the stalled worker is refused.
      const first = await store().audit.commit({ intents: [], entries: [terminal('aud-1', 'unknown')] }, chain);
      expect(first.records.map((record) => record?.decision)).toEqual(['unknown']);
      const late = await store().audit.commit({ intents: [], entries: [note, terminal('aud-2', 'allow')] }, chain);
      expect(late.records.map((record) => record?.id ?? null)).toEqual(['aud-note', null]);
      // Two terminal records for one call in one batch: the first stands.
      await store().toolCalls.begin(anIntent('call-9'));
      const twice = await store().audit.commit(
        {
          intents: [],
          entries: [
            { ...terminal('aud-3', 'allow'), callId: 'call-9' },
            { ...terminal('aud-4', 'unknown'), callId: 'call-9' },
          ],
        },
        chain,
      );
      expect(twice.records.map((record) => record?.id ?? null)).toEqual(['aud-3', null]);
      expect((await store().audit.query({ action: 'tool.call' })).map((record) => record.id)).toEqual([
        'aud-1',
        'aud-3',
      ]);
    });

    it('refuses to complete an unknown call with not_found', async () => {
      await expect(store().toolCalls.complete('nope', T0)).rejects.toMatchObject({ code: 'not_found' });
    });
  });
}
