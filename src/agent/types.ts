import type { UserId } from '../identity/types.ts';
import type { AnswerAudienceWire } from '../protocol/answer-wire.ts';
import type { RunStatusWire, RunStepWire } from '../protocol/wire.ts';
import type { ThreadMode } from '../threads/types.ts';

/** Run lifecycle: `queued → running → awaiting_approval → done | failed | cancelled`. */
export type RunStatus = RunStatusWire;

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['done', 'failed', 'cancelled'];

/**
 * One entry of a run's trace, shown in full to the requester and summarized to others. Stored
 * exactly as the wire contract defines it: one definition, in the protocol module.
 */
export type RunStep = RunStepWire;

/** A durable agent run. `requesterId` is fixed at creation and never changes (I1). */
export interface Run {
  id: string;
  threadId: string;
  requesterId: UserId;
  triggerMessageId: string;
  mode: ThreadMode;
  status: RunStatus;
  answerMessageId: string | null;
  error: string | null;
  steps: RunStep[];
  /** Labels of everything the run has read so far (context and tool results). */
  labels: string[];
  /** Serialized conversation state for resuming after an approval. Opaque to the store. */
  state: unknown;
  createdAt: number;
  updatedAt: number;
  /** Lease for the durable queue (issue 4): which worker holds the run, until when. */
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  /** Who the requester asked the answer for (issue 10 point 3); absent means `me`. */
  audience?: AnswerAudienceWire;
  /** The thread's part of a split answer; `answerMessageId` stays the requester's part. */
  sharedMessageId?: string | null;
}

export type NewRun = Omit<
  Run,
  | 'answerMessageId'
  | 'error'
  | 'steps'
  | 'labels'
  | 'state'
  | 'updatedAt'
  | 'leaseOwner'
  | 'leaseExpiresAt'
  | 'sharedMessageId'
>;

export type RunPatch = Partial<
  Pick<
    Run,
    | 'status'
    | 'answerMessageId'
    | 'error'
    | 'steps'
    | 'labels'
    | 'state'
    | 'leaseOwner'
    | 'leaseExpiresAt'
    | 'sharedMessageId'
  >
>;

/** Storage port for runs. */
export interface RunStore {
  create(run: NewRun): Promise<Run>;
  get(id: string): Promise<Run | undefined>;
  /**
   * Apply `patch`; when `expectedStatus` is given the update happens only if the run is in one
   * of those statuses (compare-and-set). Returns the updated run, or undefined if it did not apply.
   */
  update(id: string, patch: RunPatch, expectedStatus?: readonly RunStatus[]): Promise<Run | undefined>;
  /** Runs in the given statuses, optionally of one thread and/or requester. */
  listByStatus(statuses: readonly RunStatus[], filter?: { threadId?: string; requesterId?: UserId }): Promise<Run[]>;
  /**
   * Claims the oldest `queued` run for a worker: `queued → running` with the lease, atomically,
   * skipping runs another worker is claiming at the same moment. Undefined when none is queued.
   */
  claimNext(lease: RunLease): Promise<Run | undefined>;
  /** Extends the lease of every active run `lease.owner` holds; returns how many. */
  renewLeases(lease: RunLease): Promise<number>;
  /** Active runs (`running`, `awaiting_approval`) whose lease expired before `now`: their worker stopped. */
  listExpiredLeases(now: number): Promise<Run[]>;
}

/** A worker's hold on the runs it executes, renewed while it lives (durable run queue, issue 4). */
export interface RunLease {
  owner: string;
  expiresAt: number;
}

export type ApprovalStatus = 'pending' | 'approved' | 'denied';

/** A request for the requester's approval of one tool call (I7). */
export interface Approval {
  id: string;
  runId: string;
  threadId: string;
  /** The only person who may decide it. */
  requesterId: UserId;
  tool: string;
  callId: string;
  /** Arguments shown to the requester on the approval card. */
  args: unknown;
  status: ApprovalStatus;
  always: boolean;
  createdAt: number;
  decidedAt: number | null;
}

/** Storage port for approvals and standing "always allow" choices keyed by (user, tool). */
export interface ApprovalStore {
  create(approval: Omit<Approval, 'status' | 'always' | 'decidedAt'>): Promise<Approval>;
  get(id: string): Promise<Approval | undefined>;
  /** Compare-and-set from `pending`; returns undefined when already decided. */
  decide(id: string, decision: { approve: boolean; always: boolean; at: number }): Promise<Approval | undefined>;
  listPending(filter: { runId?: string; requesterId?: UserId }): Promise<Approval[]>;
  hasStanding(userId: UserId, tool: string): Promise<boolean>;
  setStanding(userId: UserId, tool: string, at: number): Promise<void>;
}
