import { describe, expect, it } from 'vitest';
import type { MessageWire } from '../protocol/wire.ts';
import { activeRuns, emptyThreadState, threadReducer } from './thread-state.ts';

function message(overrides: Partial<MessageWire>): MessageWire {
  return {
    id: 'msg_1',
    threadId: 'thr_1',
    seq: 1,
    kind: 'human',
    authorId: 'alice',
    text: 'hello',
    audience: { kind: 'thread' },
    labels: [],
    runId: null,
    requesterId: null,
    privateReason: null,
    sharedBy: null,
    sharedWith: [],
    createdAt: 0,
    ...overrides,
  };
}

describe('threadReducer', () => {
  it('upserts a shared private answer by id instead of duplicating it', () => {
    const hidden = {
      id: 'msg_2',
      threadId: 'thr_1',
      seq: 2,
      kind: 'agent',
      hidden: true,
      reason: 'private',
      authorId: null,
      requesterId: 'alice',
      createdAt: 0,
    } as const;
    let state = threadReducer(emptyThreadState, { type: 'messages-loaded', messages: [message({}), hidden] });
    const shared = message({ id: 'msg_2', seq: 2, kind: 'agent', text: 'answer', sharedBy: 'alice' });
    state = threadReducer(state, {
      type: 'frame',
      frame: { type: 'message-created', threadId: 'thr_1', message: shared },
    });
    expect(state.messages.map((item) => item.id)).toEqual(['msg_1', 'msg_2']);
    expect(state.messages[1]).toEqual(shared);
  });

  it('keeps messages in seq order whatever the arrival order', () => {
    let state = emptyThreadState;
    for (const seq of [3, 1, 2]) {
      state = threadReducer(state, {
        type: 'frame',
        frame: { type: 'message-created', threadId: 'thr_1', message: message({ id: `m${seq}`, seq }) },
      });
    }
    expect(state.messages.map((item) => item.seq)).toEqual([1, 2, 3]);
  });

  it('streams deltas into a draft and drops it when the answer arrives', () => {
    let state = threadReducer(emptyThreadState, {
      type: 'frame',
      frame: { type: 'answer-delta', threadId: 'thr_1', runId: 'run_1', delta: 'Hel' },
    });
    state = threadReducer(state, {
      type: 'frame',
      frame: { type: 'answer-delta', threadId: 'thr_1', runId: 'run_1', delta: 'lo' },
    });
    expect(state.drafts).toEqual({ run_1: 'Hello' });
    const answer = message({ id: 'msg_9', seq: 9, kind: 'agent', runId: 'run_1', text: 'Hello' });
    state = threadReducer(state, {
      type: 'frame',
      frame: { type: 'message-created', threadId: 'thr_1', message: answer },
    });
    expect(state.drafts).toEqual({});
  });

  it('a reload keeps messages that arrived live after the fetched ones', () => {
    let state = threadReducer(emptyThreadState, {
      type: 'frame',
      frame: { type: 'message-created', threadId: 'thr_1', message: message({ id: 'm5', seq: 5 }) },
    });
    state = threadReducer(state, { type: 'messages-loaded', messages: [message({ id: 'm1', seq: 1 })] });
    expect(state.messages.map((item) => item.id)).toEqual(['m1', 'm5']);
  });

  it('tracks active runs and pending approvals', () => {
    let state = threadReducer(emptyThreadState, {
      type: 'frame',
      frame: {
        type: 'run-updated',
        threadId: 'thr_1',
        run: { id: 'run_1', requesterId: 'bob', status: 'running', answerMessageId: null },
      },
    });
    expect(activeRuns(state).map((run) => run.id)).toEqual(['run_1']);
    state = threadReducer(state, {
      type: 'frame',
      frame: {
        type: 'run-updated',
        threadId: 'thr_1',
        run: { id: 'run_1', requesterId: 'bob', status: 'done', answerMessageId: 'm' },
      },
    });
    expect(activeRuns(state)).toEqual([]);
    const approval = {
      id: 'apr_1',
      runId: 'run_2',
      threadId: 'thr_1',
      requesterId: 'bob',
      tool: 'create_ticket',
      callId: 'c',
      args: {},
      status: 'pending',
      always: false,
      createdAt: 0,
      decidedAt: null,
    } as const;
    state = threadReducer(state, { type: 'frame', frame: { type: 'approval-requested', threadId: 'thr_1', approval } });
    state = threadReducer(state, { type: 'frame', frame: { type: 'approval-requested', threadId: 'thr_1', approval } });
    expect(state.approvals).toHaveLength(1);
    state = threadReducer(state, { type: 'approval-decided', approvalId: 'apr_1' });
    expect(state.approvals).toEqual([]);
  });
});
