import type { Statement } from 'better-sqlite3';
import type { UserId } from '../../identity/types.ts';
import { AppError } from '../../protocol/errors.ts';
import type { Thread, ThreadStore } from '../../threads/types.ts';
import { threadFromRow } from '../rows/thread-rows.ts';
import type { ThreadRow } from '../schema.ts';
import { listThreadsForUser, newThreadRow, type ThreadPatch, updateChangedThread } from '../shared/thread-queries.ts';
import type { SqliteContext } from './sqlite-context.ts';
import { sqlitePortable } from './sqlite-portable.ts';

/**
 * `ThreadStore` on SQLite. Membership is checked at every step of every run (I3, I8), so `get`,
 * `members` and `isMember` are prepared statements; membership changes bump the thread's version
 * in the same transaction, so a memoized decision can never see the new members with the old key.
 */
export class SqliteThreadStore implements ThreadStore {
  readonly #context: SqliteContext;
  readonly #get: Statement<[string], ThreadRow>;
  readonly #members: Statement<[string], UserId>;
  readonly #isMember: Statement<[string, UserId], number>;
  readonly #insertThread: Statement<[ThreadRow]>;
  readonly #insertMember: Statement<[string, UserId]>;
  readonly #deleteMember: Statement<[string, UserId]>;
  readonly #bumpVersion: Statement<[string]>;

  constructor(context: SqliteContext) {
    const { db } = context;
    this.#context = context;
    this.#get = db.prepare('SELECT * FROM threads WHERE id = ?');
    this.#members = db.prepare<[string], UserId>(
      'SELECT user_id FROM thread_members WHERE thread_id = ? ORDER BY user_id',
    );
    this.#members.pluck();
    this.#isMember = db.prepare<[string, UserId], number>(
      'SELECT 1 FROM thread_members WHERE thread_id = ? AND user_id = ?',
    );
    this.#isMember.pluck();
    this.#insertThread = db.prepare(
      `INSERT INTO threads (id, title, owner_id, mode, agent_id, created_at, version)
       VALUES (@id, @title, @owner_id, @mode, @agent_id, @created_at, @version)`,
    );
    this.#insertMember = db.prepare(
      'INSERT INTO thread_members (thread_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
    );
    this.#deleteMember = db.prepare('DELETE FROM thread_members WHERE thread_id = ? AND user_id = ?');
    this.#bumpVersion = db.prepare('UPDATE threads SET version = version + 1 WHERE id = ?');
  }

  async create(thread: Omit<Thread, 'version'>, members: UserId[]): Promise<Thread> {
    const row = newThreadRow(thread);
    this.#context.db.transaction(() => {
      this.#insertThread.run(row);
      for (const member of members) this.#insertMember.run(thread.id, member);
    })();
    return threadFromRow(row);
  }

  async get(id: string): Promise<Thread | undefined> {
    const row = this.#get.get(id);
    return row && threadFromRow(row);
  }

  async listForUser(userId: UserId): Promise<Thread[]> {
    return listThreadsForUser(sqlitePortable(this.#context), userId);
  }

  async update(id: string, patch: ThreadPatch): Promise<Thread> {
    const updated = await updateChangedThread(sqlitePortable(this.#context), id, patch);
    if (updated) return updated;
    const current = this.#get.get(id);
    if (!current) throw new AppError('not_found', 'Thread not found.', { threadId: id });
    return threadFromRow(current);
  }

  async addMember(threadId: string, userId: UserId): Promise<boolean> {
    return this.#context.db.transaction(() => {
      if (!this.#get.get(threadId)) throw new AppError('not_found', 'Thread not found.', { threadId });
      const added = this.#insertMember.run(threadId, userId).changes === 1;
      if (added) this.#bumpVersion.run(threadId);
      return added;
    })();
  }

  async removeMember(threadId: string, userId: UserId): Promise<boolean> {
    return this.#context.db.transaction(() => {
      const removed = this.#deleteMember.run(threadId, userId).changes === 1;
      if (removed) this.#bumpVersion.run(threadId);
      return removed;
    })();
  }

  async members(threadId: string): Promise<UserId[]> {
    return this.#members.all(threadId);
  }

  async isMember(threadId: string, userId: UserId): Promise<boolean> {
    return this.#isMember.get(threadId, userId) !== undefined;
  }
}
