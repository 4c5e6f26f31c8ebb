import { sql } from 'kysely';
import type { Message, NewMessage } from '../../threads/types.ts';
import { newMessageColumns } from '../rows/thread-rows.ts';
import { PortableMessageStore } from '../shared/portable-message-store.ts';
import type { PostgresContext } from './postgres-context.ts';

/**
 * `MessageStore` on PostgreSQL. `append` locks the thread's row, then computes the next `seq`
 * from the `(thread_id, seq)` index in a second statement: under READ COMMITTED that statement
 * takes its snapshot after the lock is granted, so it sees the message the previous holder
 * committed, and appends from any number of processes get consecutive seqs. The lock is
 * `FOR NO KEY UPDATE`, which foreign-key checks (`FOR KEY SHARE`) do not wait for.
 */
export class PostgresMessageStore extends PortableMessageStore {
  constructor(context: PostgresContext) {
    super(context.kysely);
  }

  async append(message: NewMessage): Promise<Message> {
    const row = newMessageColumns(message);
    const seq = await this.kysely.transaction().execute(async (transaction) => {
      // No thread, no lock: the insert below then fails on the foreign key, as it should.
      await transaction.selectFrom('threads').select('id').where('id', '=', row.thread_id).forNoKeyUpdate().execute();
      const inserted = await sql<{ seq: number }>`
        INSERT INTO messages (id, thread_id, seq, kind, author_id, text, audience, labels, run_id, requester_id,
          private_reason, shared_by, shared_with, created_at, label_origins, answer_part)
        SELECT ${row.id}, ${row.thread_id}, COALESCE(MAX(seq), 0) + 1, ${row.kind}, ${row.author_id}, ${row.text},
          ${row.audience}, ${row.labels}, ${row.run_id}, ${row.requester_id}, ${row.private_reason},
          ${row.shared_by}, ${row.shared_with}, ${row.created_at}, ${row.label_origins}, ${row.answer_part}
        FROM messages WHERE thread_id = ${row.thread_id}
        RETURNING seq`.execute(transaction);
      return Number(inserted.rows[0]?.seq);
    });
    return { ...message, seq };
  }
}
