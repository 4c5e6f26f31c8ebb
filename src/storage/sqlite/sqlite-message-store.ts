import type { Statement } from 'better-sqlite3';
import type { Message, NewMessage } from '../../threads/types.ts';
import { messageFromRow, newMessageColumns } from '../rows/thread-rows.ts';
import type { MessageRow } from '../schema.ts';
import { PortableMessageStore } from '../shared/portable-message-store.ts';
import type { SqliteContext } from './sqlite-context.ts';

/**
 * `MessageStore` on SQLite. `append` runs on every delivery: one prepared INSERT … SELECT that
 * computes the thread's next `seq` from the `(thread_id, seq)` index in the same statement, inside
 * an IMMEDIATE transaction so a second process waits for the write lock rather than computing
 * the same seq from a stale snapshot.
 */
export class SqliteMessageStore extends PortableMessageStore {
  readonly #get: Statement<[string], MessageRow>;
  readonly #append: (row: Omit<MessageRow, 'seq'>) => number;

  constructor(context: SqliteContext) {
    super(context.kysely);
    const { db } = context;
    this.#get = db.prepare('SELECT * FROM messages WHERE id = ?');
    const insert = db.prepare<[Omit<MessageRow, 'seq'>], number>(
      `INSERT INTO messages (id, thread_id, seq, kind, author_id, text, audience, labels, run_id, requester_id,
         private_reason, shared_by, shared_with, created_at, label_origins, answer_part)
       SELECT @id, @thread_id, COALESCE(MAX(seq), 0) + 1, @kind, @author_id, @text, @audience, @labels, @run_id,
         @requester_id, @private_reason, @shared_by, @shared_with, @created_at, @label_origins, @answer_part
       FROM messages WHERE thread_id = @thread_id
       RETURNING seq`,
    );
    insert.pluck();
    const append = db.transaction((row: Omit<MessageRow, 'seq'>) => insert.get(row) as number);
    this.#append = (row) => append.immediate(row);
  }

  async append(message: NewMessage): Promise<Message> {
    const seq = this.#append(newMessageColumns(message));
    return { ...message, seq };
  }

  override async get(id: string): Promise<Message | undefined> {
    const row = this.#get.get(id);
    return row && messageFromRow(row);
  }
}
