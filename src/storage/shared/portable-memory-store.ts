import type { Memory, MemoryStore } from '../../memory/types.ts';
import { memoryFromRow, memoryRow } from '../rows/memory-rows.ts';
import type { PortableContext } from './portable-context.ts';

/** `MemoryStore` for both adapters: small per-thread lists, read when a run recalls or a person lists. */
export class PortableMemoryStore implements MemoryStore {
  constructor(private readonly context: PortableContext) {}

  async create(memory: Memory): Promise<void> {
    await this.context.kysely.insertInto('agent_memories').values(memoryRow(memory)).execute();
  }

  async get(id: string): Promise<Memory | undefined> {
    const row = await this.context.kysely
      .selectFrom('agent_memories')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && memoryFromRow(row);
  }

  async listByThread(threadId: string): Promise<Memory[]> {
    const rows = await this.context.kysely
      .selectFrom('agent_memories')
      .selectAll()
      .where('thread_id', '=', threadId)
      .orderBy('created_at')
      .orderBy(this.context.byteOrder('id'))
      .execute();
    return rows.map(memoryFromRow);
  }

  async delete(id: string): Promise<boolean> {
    const deleted = await this.context.kysely.deleteFrom('agent_memories').where('id', '=', id).executeTakeFirst();
    return Number(deleted.numDeletedRows) > 0;
  }
}
