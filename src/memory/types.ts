import type { UserId } from '../identity/types.ts';

/**
 * One source a memory was derived from: a tool call of the run that remembered it (with the
 * labels its outcome carried), or the run's context (the labels of what entered as content).
 */
export type MemorySource =
  | { kind: 'tool-call'; callId: string; tool: string; at: number; labels: string[] }
  | { kind: 'context'; labels: string[] };

/** Where a memory came from: the run and the `remember` call that stored it, and what that run had read. */
export interface MemoryOrigin {
  runId: string;
  /** The `remember` call. */
  callId: string;
  /** The human message whose run remembered it. */
  messageId: string;
  sources: MemorySource[];
}

/**
 * A fact the agent remembered in a thread (issue 10 point 4). Its labels are at least every label
 * the remembering run had accumulated (SPEC I5: a model cannot launder a label by remembering);
 * it is recalled and listed only for readers cleared for all of them (I4).
 */
export interface Memory {
  id: string;
  threadId: string;
  text: string;
  /** The person whose request created it: the only one who may delete it. */
  requesterId: UserId;
  createdAt: number;
  labels: string[];
  origin: MemoryOrigin;
}

/** Storage port for memories. Lists come back oldest first (ties by id). */
export interface MemoryStore {
  create(memory: Memory): Promise<void>;
  get(id: string): Promise<Memory | undefined>;
  listByThread(threadId: string): Promise<Memory[]>;
  /** Returns false when there was no such memory. */
  delete(id: string): Promise<boolean>;
}
