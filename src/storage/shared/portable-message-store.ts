import type { Kysely } from 'kysely';
import type { UserId } from '../../identity/types.ts';
import { AppError } from '../../protocol/errors.ts';
import type { Audience, Message, MessageStore, NewMessage } from '../../threads/types.ts';
import { messageFromRow } from '../rows/thread-rows.ts';
import type { StorageDatabase } from '../schema.ts';

/**
 * `MessageStore` but `append`, the same SQL on both engines. Each adapter adds its own `append`,
 * where sequencing under concurrency differs (SQLite also prepares `get`).
 */
export abstract class PortableMessageStore implements MessageStore {
  constructor(protected readonly kysely: Kysely<StorageDatabase>) {}

  abstract append(message: NewMessage): Promise<Message>;

  async get(id: string): Promise<Message | undefined> {
    const row = await this.kysely.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
    return row && messageFromRow(row);
  }

  async list(threadId: string, options: { afterSeq?: number; limit?: number } = {}): Promise<Message[]> {
    let query = this.kysely
      .selectFrom('messages')
      .selectAll()
      .where('thread_id', '=', threadId)
      .where('seq', '>', options.afterSeq ?? 0)
      .orderBy('seq');
    if (options.limit !== undefined) query = query.limit(options.limit);
    return (await query.execute()).map(messageFromRow);
  }

  async share(id: string, change: { sharedWith: UserId[]; sharedBy: UserId }): Promise<Message> {
    const row = await this.kysely
      .updateTable('messages')
      .set({
        audience: JSON.stringify({ kind: 'thread' } satisfies Audience),
        shared_with: JSON.stringify(change.sharedWith),
        shared_by: change.sharedBy,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', 'Message not found.', { messageId: id });
    return messageFromRow(row);
  }
}
