import type { Approval, ApprovalStatus, Run, RunPatch, RunStatus, RunStep } from '../../agent/types.ts';
import type { ThreadMode } from '../../threads/types.ts';
import type { ApprovalRow, RunRow } from '../schema.ts';

/** A run row as a `Run`. */
export function runFromRow(row: RunRow): Run {
  return {
    id: row.id,
    threadId: row.thread_id,
    requesterId: row.requester_id,
    triggerMessageId: row.trigger_message_id,
    mode: row.mode as ThreadMode,
    status: row.status as RunStatus,
    answerMessageId: row.answer_message_id,
    error: row.error,
    steps: JSON.parse(row.steps) as RunStep[],
    labels: JSON.parse(row.labels) as string[],
    state: JSON.parse(row.state) as unknown,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at === null ? null : Number(row.lease_expires_at),
    audience: row.audience === 'room' ? 'room' : 'me',
    sharedMessageId: row.shared_message_id ?? null,
  };
}

/** `JSON.stringify` that stores `undefined` as JSON `null`, so the column is never empty. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

/** The columns a `RunPatch` changes; keys absent from the patch are left out. */
export function runPatchColumns(patch: RunPatch): Partial<RunRow> {
  const columns: Partial<RunRow> = {};
  if (patch.status !== undefined) columns.status = patch.status;
  if (patch.answerMessageId !== undefined) columns.answer_message_id = patch.answerMessageId;
  if (patch.error !== undefined) columns.error = patch.error;
  if (patch.steps !== undefined) columns.steps = JSON.stringify(patch.steps);
  if (patch.labels !== undefined) columns.labels = JSON.stringify(patch.labels);
  if ('state' in patch) columns.state = jsonText(patch.state);
  if (patch.leaseOwner !== undefined) columns.lease_owner = patch.leaseOwner;
  if (patch.leaseExpiresAt !== undefined) columns.lease_expires_at = patch.leaseExpiresAt;
  if (patch.sharedMessageId !== undefined) columns.shared_message_id = patch.sharedMessageId;
  return columns;
}

/** An approval row as an `Approval`. */
export function approvalFromRow(row: ApprovalRow): Approval {
  return {
    id: row.id,
    runId: row.run_id,
    threadId: row.thread_id,
    requesterId: row.requester_id,
    tool: row.tool,
    callId: row.call_id,
    args: JSON.parse(row.args) as unknown,
    status: row.status as ApprovalStatus,
    always: Number(row.always) === 1,
    createdAt: Number(row.created_at),
    decidedAt: row.decided_at === null ? null : Number(row.decided_at),
  };
}
