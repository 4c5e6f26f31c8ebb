import type { UserId } from '../identity/types.ts';
import type { AnswerPartWire, LabelOriginWire } from '../protocol/answer-wire.ts';

/** Where one label of an answer came from; stored exactly as the wire contract defines it. */
export type LabelOrigin = LabelOriginWire;

/** Which part of a split answer a message is. */
export type AnswerPart = AnswerPartWire;

/**
 * How the agent is authorized in a thread: `user` (on behalf of whoever asked, the default) or
 * `self` (the agent as its own principal: the provisioned agent identity assigned to the thread).
 */
export type ThreadMode = 'user' | 'self';

export interface Thread {
  id: string;
  title: string;
  ownerId: UserId;
  mode: ThreadMode;
  /** The agent identity the agent acts as in self-authorized mode; unused in user mode. */
  agentId: string | null;
  createdAt: number;
  /** Bumped on every change to the thread or its membership (I3 decision keys). */
  version: number;
}

/** Who may see a stored item: the whole thread, or listed users only (a private answer). */
export type Audience = { kind: 'thread' } | { kind: 'users'; users: UserId[] };

/** Message kinds: a human's post, an agent answer, or a system notice (membership, mode). */
export type MessageKind = 'human' | 'agent' | 'system';

export interface Message {
  id: string;
  threadId: string;
  /** Per-thread order, assigned by the store. */
  seq: number;
  kind: MessageKind;
  /** The human author; null for agent answers and system notices. */
  authorId: UserId | null;
  text: string;
  audience: Audience;
  /** Sensitivity labels of everything the item came from (I5). Never empty. */
  labels: string[];
  /** For agent answers: the run that produced it and the human it acted for. */
  runId: string | null;
  requesterId: UserId | null;
  /** For a private answer: why it was not delivered to the whole thread. */
  privateReason: string | null;
  /** Set when a private answer was shared to the thread (an audited declassification). */
  sharedBy: UserId | null;
  /**
   * The readers shares released the answer to (I5): each may read it although not cleared for
   * its labels, which stay as they are. Someone who joins later reads it only if cleared or
   * after it is shared again. Empty when never shared.
   */
  sharedWith: UserId[];
  createdAt: number;
  /** For agent answers: where each label came from (issue 10 point 2). */
  labelOrigins?: LabelOrigin[];
  /** For the parts of a split answer (issue 10 point 3): `shared` or `private`. */
  answerPart?: AnswerPart;
}

/** Fields a caller supplies when appending a message; the store assigns `seq`. */
export type NewMessage = Omit<Message, 'seq'>;

/** Storage port for threads and membership. */
export interface ThreadStore {
  create(thread: Omit<Thread, 'version'>, members: UserId[]): Promise<Thread>;
  get(id: string): Promise<Thread | undefined>;
  listForUser(userId: UserId): Promise<Thread[]>;
  update(id: string, patch: Partial<Pick<Thread, 'title' | 'mode' | 'agentId'>>): Promise<Thread>;
  /** Adds a member; returns false when already a member. */
  addMember(threadId: string, userId: UserId): Promise<boolean>;
  /** Removes a member; returns false when not a member. */
  removeMember(threadId: string, userId: UserId): Promise<boolean>;
  members(threadId: string): Promise<UserId[]>;
  isMember(threadId: string, userId: UserId): Promise<boolean>;
}

/** Storage port for messages. */
export interface MessageStore {
  append(message: NewMessage): Promise<Message>;
  get(id: string): Promise<Message | undefined>;
  /** Messages in `seq` order, optionally after a given seq. */
  list(threadId: string, options?: { afterSeq?: number; limit?: number }): Promise<Message[]>;
  /**
   * Records a declassification: the answer is addressed to the thread, `sharedWith` (every
   * reader shares released it to so far) may read it, its labels stay.
   */
  share(id: string, change: { sharedWith: UserId[]; sharedBy: UserId }): Promise<Message>;
}
