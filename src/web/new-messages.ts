import type { MessageItemWire } from '../protocol/wire.ts';

/** The highest `seq` in the list, or -1 when it is empty. */
export function latestSeq(messages: readonly MessageItemWire[]): number {
  return messages.reduce((max, message) => Math.max(max, message.seq), -1);
}

/**
 * How many items arrived after `seenSeq` (the newest one the reader had in view at the bottom),
 * for the "New messages" cue shown while they read further up (issue 11.2). The reader's own
 * messages do not count: sending one scrolls them to the bottom anyway.
 */
export function countUnseen(messages: readonly MessageItemWire[], seenSeq: number, readerId: string): number {
  return messages.filter((message) => message.seq > seenSeq && !isOwn(message, readerId)).length;
}

/** Whether an item newer than `seenSeq` is one the reader wrote, so the view jumps to it. */
export function hasOwnAfter(messages: readonly MessageItemWire[], seenSeq: number, readerId: string): boolean {
  return messages.some((message) => message.seq > seenSeq && isOwn(message, readerId));
}

function isOwn(message: MessageItemWire, readerId: string): boolean {
  return message.kind === 'human' && message.authorId === readerId;
}
