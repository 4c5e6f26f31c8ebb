import type {
  AnswerPart,
  Audience,
  LabelOrigin,
  Message,
  MessageKind,
  NewMessage,
  Thread,
  ThreadMode,
} from '../../threads/types.ts';
import type { MessageRow, ThreadRow } from '../schema.ts';

/** A thread row as a `Thread`. */
export function threadFromRow(row: ThreadRow): Thread {
  return {
    id: row.id,
    title: row.title,
    ownerId: row.owner_id,
    mode: row.mode as ThreadMode,
    agentId: row.agent_id,
    createdAt: Number(row.created_at),
    version: Number(row.version),
  };
}

/** A message row as a `Message`. */
export function messageFromRow(row: MessageRow): Message {
  return {
    id: row.id,
    threadId: row.thread_id,
    seq: Number(row.seq),
    kind: row.kind as MessageKind,
    authorId: row.author_id,
    text: row.text,
    audience: JSON.parse(row.audience) as Audience,
    labels: JSON.parse(row.labels) as string[],
    runId: row.run_id,
    requesterId: row.requester_id,
    privateReason: row.private_reason,
    sharedBy: row.shared_by,
    sharedWith: JSON.parse(row.shared_with) as string[],
    createdAt: Number(row.created_at),
    ...(row.label_origins ? { labelOrigins: JSON.parse(row.label_origins) as LabelOrigin[] } : {}),
    ...(row.answer_part ? { answerPart: row.answer_part as AnswerPart } : {}),
  };
}

/** The columns of a new message; the store assigns `seq`. */
export function newMessageColumns(message: NewMessage): Omit<MessageRow, 'seq'> {
  return {
    id: message.id,
    thread_id: message.threadId,
    kind: message.kind,
    author_id: message.authorId,
    text: message.text,
    audience: JSON.stringify(message.audience),
    labels: JSON.stringify(message.labels),
    run_id: message.runId,
    requester_id: message.requesterId,
    private_reason: message.privateReason,
    shared_by: message.sharedBy,
    shared_with: JSON.stringify(message.sharedWith),
    created_at: message.createdAt,
    label_origins: message.labelOrigins ? JSON.stringify(message.labelOrigins) : null,
    answer_part: message.answerPart ?? null,
  };
}
