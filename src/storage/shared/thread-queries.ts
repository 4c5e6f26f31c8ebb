import type { UserId } from '../../identity/types.ts';
import type { Thread } from '../../threads/types.ts';
import { threadFromRow } from '../rows/thread-rows.ts';
import type { ThreadRow } from '../schema.ts';
import type { PortableContext } from './portable-context.ts';

/** What `ThreadStore.update` may change. */
export type ThreadPatch = Partial<Pick<Thread, 'title' | 'mode' | 'agentId'>>;

/** The row of a new thread, at version 1. */
export function newThreadRow(thread: Omit<Thread, 'version'>): ThreadRow {
  return {
    id: thread.id,
    title: thread.title,
    owner_id: thread.ownerId,
    mode: thread.mode,
    agent_id: thread.agentId,
    created_at: thread.createdAt,
    version: 1,
  };
}

/** `ThreadStore.listForUser`: the user's threads, oldest first. */
export async function listThreadsForUser(context: PortableContext, userId: UserId): Promise<Thread[]> {
  const rows = await context.kysely
    .selectFrom('threads')
    .innerJoin('thread_members', 'thread_members.thread_id', 'threads.id')
    .selectAll('threads')
    .where('thread_members.user_id', '=', userId)
    .orderBy('threads.created_at')
    .orderBy(context.byteOrder('threads.id'))
    .execute();
  return rows.map(threadFromRow);
}

/**
 * The write of `ThreadStore.update`: applies the patch and bumps the version, in one statement,
 * only when some value really changes. Undefined when nothing changed or there is no such thread.
 */
export async function updateChangedThread(
  context: PortableContext,
  id: string,
  patch: ThreadPatch,
): Promise<Thread | undefined> {
  const changes: Partial<ThreadRow> = {};
  if (patch.title !== undefined) changes.title = patch.title;
  if (patch.mode !== undefined) changes.mode = patch.mode;
  if (patch.agentId !== undefined) changes.agent_id = patch.agentId;
  const entries = Object.entries(changes) as [keyof ThreadRow, string | null][];
  if (entries.length === 0) return undefined;
  // Only a real change bumps the version; the WHERE makes "same values" a no-op.
  const row = await context.kysely
    .updateTable('threads')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where((eb) => eb.or(entries.map(([column, value]) => eb(column, 'is distinct from', value))))
    .returningAll()
    .executeTakeFirst();
  return row && threadFromRow(row);
}
