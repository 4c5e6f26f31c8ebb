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
  /** Runs as `GET /api/runs/:id` reported them after a reconnect; `missing` ids are gone. */
  | { type: 'runs-loaded'; runs: RunState[]; missing: string[] }
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
      return settleRuns(withoutAnsweredDrafts({ ...state, messages: sortBySeq([...loaded.values()]) }));
    }
    case 'runs-loaded': {
      const runs = { ...state.runs };
      for (const id of action.missing) delete runs[id];
      // The server's snapshot wins, except that nothing brings a finished run back to life.
      for (const run of action.runs) {
        const current = runs[run.id];
        runs[run.id] = current && FINISHED.has(current.status) && !FINISHED.has(run.status) ? current : run;
      }
      return settleRuns(withoutAnsweredDrafts({ ...state, runs }));
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
      return settleRuns(withoutAnsweredDrafts({ ...state, messages: upsert(state.messages, frame.message) }));
    case 'answer-delta': {
      const drafts = { ...state.drafts, [frame.runId]: (state.drafts[frame.runId] ?? '') + frame.delta };
      // Text is streaming, so the run is running, whatever status frame is late or was missed.
      const run = state.runs[frame.runId];
      const runs =
        run?.status === 'queued' ? { ...state.runs, [run.id]: { ...run, status: 'running' as const } } : state.runs;
      return { ...state, drafts, runs };
    }
    case 'run-updated': {
      const current = state.runs[frame.run.id];
      const next = mergeRun(current, frame.run);
      if (next === current) return state;
      const runs = { ...state.runs, [frame.run.id]: next };
      const drafts = { ...state.drafts };
      // A finished run with no answer (failed, cancelled) leaves nothing to stream into.
      if (FINISHED.has(next.status) && !next.answerMessageId) delete drafts[frame.run.id];
      if (next.status !== 'awaiting_approval') {
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

/**
 * The run after a status report, which may arrive late or out of order: the POST response that
 * started a run (`queued`) often lands after the socket already said `running` or `done`. A run
 * never goes back to `queued`, and a finished run stays finished (only its final status may be
 * corrected); between `running` and `awaiting_approval` the latest report wins.
 */
export function mergeRun(current: RunState | undefined, reported: RunState): RunState {
  if (!current) return reported;
  const answerMessageId = reported.answerMessageId ?? current.answerMessageId;
  if (FINISHED.has(current.status) && !FINISHED.has(reported.status)) {
    return answerMessageId === current.answerMessageId ? current : { ...current, answerMessageId };
  }
  const status = reported.status === 'queued' ? current.status : reported.status;
  if (status === current.status && answerMessageId === current.answerMessageId) return current;
  return { ...current, status, answerMessageId };
}

// An agent message of a run is written when the run ends (its answer, or the note saying why it
// failed), so a run whose message is here is finished even if its last status frame was missed.
function settleRuns(state: ThreadState): ThreadState {
  let runs: Record<string, RunState> | null = null;
  for (const message of state.messages) {
    if (message.hidden || message.kind !== 'agent' || !message.runId) continue;
    const run = state.runs[message.runId];
    if (!run || FINISHED.has(run.status)) continue;
    runs ??= { ...state.runs };
    runs[run.id] = { ...run, status: 'done', answerMessageId: run.answerMessageId ?? message.id };
  }
  return runs ? { ...state, runs } : state;
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
