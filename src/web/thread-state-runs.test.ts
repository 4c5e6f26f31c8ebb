import { describe, expect, it } from 'vitest';
import type { MessageWire, RunStatusWire, ServerFrame } from '../protocol/wire.ts';
import { activeRuns, emptyThreadState, mergeRun, type ThreadState, threadReducer } from './thread-state.ts';

/** Issue 11.3: the agent status never drifts from the runs' real state. */

const run = (status: RunStatusWire, answerMessageId: string | null = null) => ({
  id: 'run_1',
  requesterId: 'alice',
  status,
  answerMessageId,
});
const updated = (status: RunStatusWire, answerMessageId: string | null = null): ServerFrame => ({
  type: 'run-updated',
  threadId: 'thr_1',
  run: run(status, answerMessageId),
});
const apply = (state: ThreadState, ...frames: ServerFrame[]): ThreadState =>
  frames.reduce((next, frame) => threadReducer(next, { type: 'frame', frame }), state);

function answer(overrides: Partial<MessageWire> = {}): MessageWire {
  return {
    id: 'msg_answer',
    threadId: 'thr_1',
    seq: 5,
    kind: 'agent',
    authorId: null,
    text: 'the answer',
    audience: { kind: 'thread' },
    labels: [],
    runId: 'run_1',
    requesterId: 'alice',
    privateReason: null,
    sharedBy: null,
    sharedWith: [],
    createdAt: 0,
    ...overrides,
  };
}

describe('run status reconciliation', () => {
  it('a late "queued" (the POST response) never overrides running or done', () => {
    const running = apply(emptyThreadState, updated('running'), updated('queued'));
    expect(running.runs.run_1?.status).toBe('running');
    const done = apply(emptyThreadState, updated('running'), updated('done', 'msg_answer'), updated('queued'));
    expect(done.runs.run_1?.status).toBe('done');
    expect(activeRuns(done)).toEqual([]);
  });

  it('a finished run stays finished; a late "running" does not revive the spinner', () => {
    const state = apply(emptyThreadState, updated('done', 'msg_answer'), updated('running'));
    expect(state.runs.run_1).toEqual(run('done', 'msg_answer'));
    expect(activeRuns(state)).toEqual([]);
  });

  it('streaming text means running, even while the last status frame said queued', () => {
    const state = apply(emptyThreadState, updated('queued'), {
      type: 'answer-delta',
      threadId: 'thr_1',
      runId: 'run_1',
      delta: 'Here',
    });
    expect(state.runs.run_1?.status).toBe('running');
    expect(state.drafts.run_1).toBe('Here');
  });

  it('running and awaiting approval alternate: the latest report wins', () => {
    const state = apply(emptyThreadState, updated('running'), updated('awaiting_approval'), updated('running'));
    expect(state.runs.run_1?.status).toBe('running');
  });

  it('the run’s answer arriving finishes it when its "done" frame was missed', () => {
    const state = apply(emptyThreadState, updated('running'), {
      type: 'message-created',
      threadId: 'thr_1',
      message: answer(),
    });
    expect(state.runs.run_1).toEqual(run('done', 'msg_answer'));
    expect(activeRuns(state)).toEqual([]);
    // The real final status still corrects it.
    expect(apply(state, updated('failed', 'msg_answer')).runs.run_1?.status).toBe('failed');
  });

  it('a reload after a reconnect finishes runs whose answers it brings', () => {
    const state = threadReducer(apply(emptyThreadState, updated('queued')), {
      type: 'messages-loaded',
      messages: [answer()],
    });
    expect(activeRuns(state)).toEqual([]);
  });

  it('runs-loaded takes the server snapshot and forgets runs that are gone', () => {
    const before = apply(emptyThreadState, updated('queued'), {
      type: 'run-updated',
      threadId: 'thr_1',
      run: { ...run('running'), id: 'run_2' },
    });
    const after = threadReducer(before, { type: 'runs-loaded', runs: [run('done', 'msg_answer')], missing: ['run_2'] });
    expect(after.runs).toEqual({ run_1: run('done', 'msg_answer') });
    expect(activeRuns(after)).toEqual([]);
  });

  it('mergeRun keeps a known answer id when a report lacks it, and returns the same object when nothing changed', () => {
    const current = run('running', 'msg_answer');
    expect(mergeRun(current, run('running'))).toBe(current);
    expect(mergeRun(current, run('done'))).toEqual(run('done', 'msg_answer'));
  });
});
