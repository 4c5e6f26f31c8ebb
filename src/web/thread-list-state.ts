import type { ThreadWire } from '../protocol/wire.ts';

/**
 * The reader's thread list after they were added to `thread` (issue 11.3): new threads go on
 * top, a known one is updated in place. `null` (still loading) stays null: the load brings it.
 */
export function withThread(threads: ThreadWire[] | null, thread: ThreadWire): ThreadWire[] | null {
  if (threads === null) return null;
  const index = threads.findIndex((item) => item.id === thread.id);
  if (index === -1) return [thread, ...threads];
  const next = threads.slice();
  next[index] = { ...threads[index], ...thread };
  return next;
}

/** The reader's thread list without `threadId` (they were removed, or may no longer open it). */
export function withoutThread(threads: ThreadWire[] | null, threadId: string): ThreadWire[] | null {
  if (threads === null || !threads.some((item) => item.id === threadId)) return threads;
  return threads.filter((item) => item.id !== threadId);
}
