import type { Approval, RunStatus } from '../agent/types.ts';
import type { UserId } from '../identity/types.ts';
import type { Message, Thread } from '../threads/types.ts';

/**
 * Domain events the engine publishes. They carry whole objects; the realtime hub decides, per
 * reader and at delivery time (I3, I5), who may receive each one and in what shape.
 */
export type DomainEvent =
  | { type: 'message-created'; threadId: string; message: Message }
  /** A message's audience or labels changed (a private answer was shared). */
  | { type: 'message-updated'; threadId: string; message: Message }
  | {
      type: 'run-updated';
      threadId: string;
      runId: string;
      requesterId: UserId;
      status: RunStatus;
      answerMessageId: string | null;
    }
  /** Partial answer text: delivered to the requester only, until the disclosure decision. */
  | { type: 'answer-delta'; threadId: string; runId: string; requesterId: UserId; delta: string }
  | { type: 'approval-requested'; threadId: string; approval: Approval }
  /** An approval was answered (internal: lets the process running the run resume it). */
  | { type: 'approval-decided'; threadId: string; approvalId: string; runId: string; tool: string; approved: boolean }
  | { type: 'member-added'; threadId: string; userId: UserId }
  | { type: 'member-removed'; threadId: string; userId: UserId }
  | { type: 'thread-updated'; threadId: string; thread: Thread };

/**
 * Publish/subscribe port between the engine and whatever delivers events (the WebSocket hub).
 * In one process it is a local fan-out; across processes an adapter carries events over
 * PostgreSQL LISTEN/NOTIFY (or NATS/Redis). Delivery is at most once; readers catch up by
 * fetching messages, which are always authorized at read time.
 */
export interface EventBus {
  publish(event: DomainEvent): void;
  /** Returns an unsubscribe function. */
  subscribe(handler: (event: DomainEvent) => void): () => void;
  close(): Promise<void>;
}
