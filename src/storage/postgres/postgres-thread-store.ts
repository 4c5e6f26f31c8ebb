import type { UserId } from '../../identity/types.ts';
import { AppError } from '../../protocol/errors.ts';
import type { Thread, ThreadStore } from '../../threads/types.ts';
import { threadFromRow } from '../rows/thread-rows.ts';
import type { PortableContext } from '../shared/portable-context.ts';
import { listThreadsForUser, newThreadRow, type ThreadPatch, updateChangedThread } from '../shared/thread-queries.ts';
import { inByteOrder, type PostgresContext, postgresPortable } from './postgres-context.ts';

/**
 * `ThreadStore` on PostgreSQL. A membership change and the version bump it causes commit in one
 * transaction, so a memoized decision can never see the new members with the old key (I3, I8);
 * the bump's row lock also serializes concurrent changes to one thread across processes.
 */
export class PostgresThreadStore implements ThreadStore {
  readonly #context: PostgresContext;
  readonly #portable: PortableContext;

  constructor(context: PostgresContext) {
    this.#context = context;
    this.#portable = postgresPortable(context);
  }

  async create(thread: Omit<Thread, 'version'>, members: UserId[]): Promise<Thread> {
    const row = newThreadRow(thread);
    await this.#context.kysely.transaction().execute(async (transaction) => {
      await transaction.insertInto('threads').values(row).execute();
      if (members.length === 0) return;
      await transaction
        .insertInto('thread_members')
        .values(members.map((userId) => ({ thread_id: thread.id, user_id: userId })))
        .onConflict((conflict) => conflict.doNothing())
        .execute();
    });
    return threadFromRow(row);
  }

  async get(id: string): Promise<Thread | undefined> {
    const row = await this.#context.kysely.selectFrom('threads').selectAll().where('id', '=', id).executeTakeFirst();
    return row && threadFromRow(row);
  }

  async listForUser(userId: UserId): Promise<Thread[]> {
    return listThreadsForUser(this.#portable, userId);
  }

  async update(id: string, patch: ThreadPatch): Promise<Thread> {
    const updated = await updateChangedThread(this.#portable, id, patch);
    if (updated) return updated;
    const current = await this.get(id);
    if (!current) throw new AppError('not_found', 'Thread not found.', { threadId: id });
    return current;
  }

  async addMember(threadId: string, userId: UserId): Promise<boolean> {
    return this.#context.kysely.transaction().execute(async (transaction) => {
      if (!(await lockThread(transaction, threadId)))
        throw new AppError('not_found', 'Thread not found.', { threadId });
      const inserted = await transaction
        .insertInto('thread_members')
        .values({ thread_id: threadId, user_id: userId })
        .onConflict((conflict) => conflict.doNothing())
        .executeTakeFirst();
      const added = Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
      if (added) await bumpVersion(transaction, threadId);
      return added;
    });
  }

  async removeMember(threadId: string, userId: UserId): Promise<boolean> {
    return this.#context.kysely.transaction().execute(async (transaction) => {
      await lockThread(transaction, threadId);
      const deleted = await transaction
        .deleteFrom('thread_members')
        .where('thread_id', '=', threadId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      const removed = Number(deleted.numDeletedRows) === 1;
      if (removed) await bumpVersion(transaction, threadId);
      return removed;
    });
  }

  async members(threadId: string): Promise<UserId[]> {
    const rows = await this.#context.kysely
      .selectFrom('thread_members')
      .select('user_id')
      .where('thread_id', '=', threadId)
      .orderBy(inByteOrder('user_id'))
      .execute();
    return rows.map((row) => row.user_id);
  }

  async isMember(threadId: string, userId: UserId): Promise<boolean> {
    const row = await this.#context.kysely
      .selectFrom('thread_members')
      .select('user_id')
      .where('thread_id', '=', threadId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }
}

/**
 * Locks the thread's row for the rest of the transaction; false when there is no such thread.
 * Every membership change takes this lock before touching `thread_members`, so concurrent
 * changes queue on it instead of deadlocking on member rows and the version bump.
 */
async function lockThread(transaction: PostgresContext['kysely'], threadId: string): Promise<boolean> {
  const thread = await transaction
    .selectFrom('threads')
    .select('id')
    .where('id', '=', threadId)
    .forNoKeyUpdate()
    .executeTakeFirst();
  return thread !== undefined;
}

async function bumpVersion(transaction: PostgresContext['kysely'], threadId: string): Promise<void> {
  await transaction
    .updateTable('threads')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', threadId)
    .execute();
}
