import type { ApprovalWire, MessageItemWire, RunStatusWire, ServerFrame } from '../protocol/wire.ts';

/** A run as the thread view tracks it from `run-updated` frames. */
export interface RunState {
  id: string;
  requesterId: string;
  status: RunStatusWire;
  answerMessageId: string | null;
}

/** Everything the live thread view shows, kept by a pure reducer so it is easy to test. */
export interface ThreadState {
  /** Messages and placeholders in thread order (by `seq`), one per id. */
  messages: MessageItemWire[];
  /** Streaming text of the reader's own pending answers, by run id. */
  drafts: Record<string, string>;
  runs: Record<string, RunState>;
  /** The reader's pending approvals. */
  approvals: ApprovalWire[];
}

export type ThreadAction =
  | { type: 'messages-loaded'; messages: MessageItemWire[] }
  | { type: 'approvals-loaded'; approvals: ApprovalWire[] }
  | { type: 'approval-decided'; approvalId: string }
  | { type: 'frame'; frame: ServerFrame };

export const emptyThreadState: ThreadState = { messages: [], drafts: {}, runs: {}, approvals: [] };

const FINISHED: ReadonlySet<RunStatusWire> = new Set(['done', 'failed', 'cancelled']);

/** Applies a load or a WebSocket frame to the view's state. */
export function threadReducer(state: ThreadState, action: ThreadAction): ThreadState {
  switch (action.type) {
    case 'messages-loaded': {
      // A reload (after a reconnect) replaces what was fetched but keeps anything newer that
      // arrived live while the request was in flight.
      const loaded = new Map(action.messages.map((message) => [message.id, message]));
      const newest = action.messages.reduce((max, message) => Math.max(max, message.seq), -1);
      for (const message of state.messages)
        if (message.seq > newest && !loaded.has(message.id)) loaded.set(message.id, message);
      return withoutAnsweredDrafts({ ...state, messages: sortBySeq([...loaded.values()]) });
    }
    case 'approvals-loaded':
      return { ...state, approvals: action.approvals.filter((approval) => approval.status === 'pending') };
    case 'approval-decided':
      return { ...state, approvals: state.approvals.filter((approval) => approval.id !== action.approvalId) };
    case 'frame':
      return applyFrame(state, action.frame);
  }
}

function applyFrame(state: ThreadState, frame: ServerFrame): ThreadState {
  switch (frame.type) {
    case 'message-created':
      return withoutAnsweredDrafts({ ...state, messages: upsert(state.messages, frame.message) });
    case 'answer-delta':
      return { ...state, drafts: { ...state.drafts, [frame.runId]: (state.drafts[frame.runId] ?? '') + frame.delta } };
    case 'run-updated': {
      const runs = { ...state.runs, [frame.run.id]: frame.run };
      const drafts = { ...state.drafts };
      // A finished run with no answer (failed, cancelled) leaves nothing to stream into.
      if (FINISHED.has(frame.run.status) && !frame.run.answerMessageId) delete drafts[frame.run.id];
      if (frame.run.status !== 'awaiting_approval') {
        return withoutAnsweredDrafts({ ...state, runs, drafts });
      }
      return { ...state, runs, drafts };
    }
    case 'approval-requested':
      if (state.approvals.some((approval) => approval.id === frame.approval.id)) return state;
      return { ...state, approvals: [...state.approvals, frame.approval] };
    default:
      return state;
  }
}

function upsert(messages: MessageItemWire[], message: MessageItemWire): MessageItemWire[] {
  const index = messages.findIndex((existing) => existing.id === message.id);
  if (index === -1) return sortBySeq([...messages, message]);
  const next = messages.slice();
  next[index] = message;
  return next;
}

function sortBySeq(messages: MessageItemWire[]): MessageItemWire[] {
  return messages.sort((a, b) => a.seq - b.seq);
}

// Once a run's answer (or its placeholder) is in the list, its streamed draft is redundant.
function withoutAnsweredDrafts(state: ThreadState): ThreadState {
  const answered = new Set<string>();
  for (const message of state.messages) {
    if (!message.hidden && message.kind === 'agent' && message.runId) answered.add(message.runId);
  }
  for (const run of Object.values(state.runs)) {
    if (run.answerMessageId && state.messages.some((message) => message.id === run.answerMessageId))
      answered.add(run.id);
  }
  if (!Object.keys(state.drafts).some((runId) => answered.has(runId))) return state;
  const drafts = Object.fromEntries(Object.entries(state.drafts).filter(([runId]) => !answered.has(runId)));
  return { ...state, drafts };
}

/** Runs still in progress, for the "agent is working" indicator. */
export function activeRuns(state: ThreadState): RunState[] {
  return Object.values(state.runs).filter((run) => !FINISHED.has(run.status));
}
