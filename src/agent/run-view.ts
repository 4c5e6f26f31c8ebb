import type { UserId } from '../identity/types.ts';
import type { Run, RunStatus, RunStep } from './types.ts';

/** A run as the API shows it: the requester sees the whole trace, other members a summary. */
export interface RunView {
  id: string;
  threadId: string;
  requesterId: UserId;
  mode: Run['mode'];
  status: RunStatus;
  answerMessageId: string | null;
  /** Who the requester asked the answer for. */
  audience: NonNullable<Run['audience']>;
  /** The thread's part of a split answer. */
  sharedMessageId: string | null;
  createdAt: number;
  updatedAt: number;
  summary: { toolCalls: number; denied: number; steps: number };
  /** Requester only. */
  steps?: RunStep[];
  /** Requester only. */
  error?: string | null;
  /** Requester only. */
  labels?: string[];
}

/** Shapes a run for `reader` (who must already be a member of its thread). */
export function viewRun(run: Run, reader: UserId): RunView {
  const toolCalls = run.steps.filter((step) => step.kind === 'tool-call');
  const base: RunView = {
    id: run.id,
    threadId: run.threadId,
    requesterId: run.requesterId,
    mode: run.mode,
    status: run.status,
    answerMessageId: run.answerMessageId,
    audience: run.audience ?? 'me',
    sharedMessageId: run.sharedMessageId ?? null,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    summary: {
      toolCalls: toolCalls.length,
      denied: toolCalls.filter((step) => step.decision === 'deny').length,
      steps: run.steps.length,
    },
  };
  if (reader !== run.requesterId) return base;
  return { ...base, steps: run.steps, error: run.error, labels: run.labels };
}
