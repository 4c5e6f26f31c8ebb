import type { RunView } from '../agent/run-view.ts';
import type { Approval } from '../agent/types.ts';
import type { AuditRecord } from '../audit/types.ts';
import type { AgentIdentity, User } from '../identity/types.ts';
import type {
  AgentIdentityWire,
  ApprovalWire,
  AuditRecordWire,
  HiddenMessageWire,
  MessageItemWire,
  MessageWire,
  RunWire,
  ThreadWire,
  UserWire,
} from '../protocol/wire.ts';
import type { Message, Thread } from '../threads/types.ts';
import type { HiddenMessage } from '../threads/visibility.ts';

/**
 * Domain objects to wire shapes (SPEC §6), written once and used by the HTTP routes and the
 * realtime hub. Each mapper copies the fields the contract names and nothing else, so a field
 * added to a domain type never leaks onto the wire by accident.
 */

export function toUserWire(user: User): UserWire {
  return { id: user.id, name: user.name, title: user.title, groups: [...user.groups] };
}

export function toAgentIdentityWire(identity: AgentIdentity & { assignable?: boolean }): AgentIdentityWire {
  return {
    id: identity.id,
    name: identity.name,
    groups: [...identity.groups],
    assigners: [...identity.assigners],
    provisionedBy: identity.provisionedBy,
    createdAt: identity.createdAt,
    ...(identity.assignable !== undefined ? { assignable: identity.assignable } : {}),
  };
}

export function toThreadWire(thread: Thread & { members?: string[] }): ThreadWire {
  return {
    id: thread.id,
    title: thread.title,
    ownerId: thread.ownerId,
    mode: thread.mode,
    agentId: thread.agentId,
    createdAt: thread.createdAt,
    ...(thread.members ? { members: [...thread.members] } : {}),
  };
}

export function toMessageWire(message: Message): MessageWire {
  return {
    id: message.id,
    threadId: message.threadId,
    seq: message.seq,
    kind: message.kind,
    authorId: message.authorId,
    text: message.text,
    audience:
      message.audience.kind === 'thread' ? { kind: 'thread' } : { kind: 'users', users: [...message.audience.users] },
    labels: [...message.labels],
    runId: message.runId,
    requesterId: message.requesterId,
    privateReason: message.privateReason,
    sharedBy: message.sharedBy,
    sharedWith: [...message.sharedWith],
    createdAt: message.createdAt,
    ...(message.labelOrigins ? { labelOrigins: message.labelOrigins.map((origin) => ({ ...origin })) } : {}),
    ...(message.answerPart ? { answerPart: message.answerPart } : {}),
  };
}

export function toHiddenMessageWire(hidden: HiddenMessage): HiddenMessageWire {
  return {
    id: hidden.id,
    threadId: hidden.threadId,
    seq: hidden.seq,
    kind: hidden.kind,
    hidden: true,
    reason: hidden.reason,
    authorId: hidden.authorId,
    requesterId: hidden.requesterId,
    createdAt: hidden.createdAt,
  };
}

/** A message as `VisibilityChecker.view` returned it: the message, or its placeholder. */
export function toMessageItemWire(item: Message | HiddenMessage): MessageItemWire {
  return 'hidden' in item && item.hidden === true ? toHiddenMessageWire(item) : toMessageWire(item as Message);
}

export function toRunWire(run: RunView): RunWire {
  return {
    id: run.id,
    threadId: run.threadId,
    requesterId: run.requesterId,
    mode: run.mode,
    status: run.status,
    answerMessageId: run.answerMessageId,
    audience: run.audience,
    sharedMessageId: run.sharedMessageId,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    summary: { ...run.summary },
    ...(run.steps ? { steps: run.steps.map((step) => ({ ...step })) } : {}),
    ...(run.error !== undefined ? { error: run.error } : {}),
    ...(run.labels ? { labels: [...run.labels] } : {}),
  };
}

export function toApprovalWire(approval: Approval): ApprovalWire {
  return {
    id: approval.id,
    runId: approval.runId,
    threadId: approval.threadId,
    requesterId: approval.requesterId,
    tool: approval.tool,
    callId: approval.callId,
    args: approval.args,
    status: approval.status,
    always: approval.always,
    createdAt: approval.createdAt,
    decidedAt: approval.decidedAt,
  };
}

export function toAuditRecordWire(record: AuditRecord): AuditRecordWire {
  return {
    seq: record.seq,
    id: record.id,
    at: record.at,
    requester: record.requester,
    agent: record.agent,
    mode: record.mode,
    threadId: record.threadId,
    runId: record.runId,
    action: record.action,
    resource: record.resource,
    decision: record.decision,
    policies: [...record.policies],
    ...(record.reason !== undefined ? { reason: record.reason } : {}),
    ...(record.argsHash !== undefined ? { argsHash: record.argsHash } : {}),
    ...(record.resultHash !== undefined ? { resultHash: record.resultHash } : {}),
    ...(record.labels !== undefined ? { labels: [...record.labels] } : {}),
    ...(record.callId !== undefined ? { callId: record.callId } : {}),
    ...(record.statement !== undefined ? { statement: record.statement } : {}),
    ...(record.statementHash !== undefined ? { statementHash: record.statementHash } : {}),
    prevHash: record.prevHash,
    hash: record.hash,
  };
}
