import type { Memory, MemoryOrigin } from '../../memory/types.ts';
import type { AgentMemoryRow } from '../schema.ts';

/** A memory row as a `Memory`. */
export function memoryFromRow(row: AgentMemoryRow): Memory {
  return {
    id: row.id,
    threadId: row.thread_id,
    text: row.text,
    requesterId: row.requester_id,
    createdAt: Number(row.created_at),
    labels: JSON.parse(row.labels) as string[],
    origin: JSON.parse(row.origin) as MemoryOrigin,
  };
}

/** The row of a `Memory`. */
export function memoryRow(memory: Memory): AgentMemoryRow {
  return {
    id: memory.id,
    thread_id: memory.threadId,
    text: memory.text,
    requester_id: memory.requesterId,
    created_at: memory.createdAt,
    labels: JSON.stringify(memory.labels),
    origin: JSON.stringify(memory.origin),
  };
}
