import type { ToolCallIntent } from '../../tools/types.ts';
import type { ToolCallRow } from '../schema.ts';

/** A tool-call row as a `ToolCallIntent`. */
export function toolCallFromRow(row: ToolCallRow): ToolCallIntent {
  return {
    callId: row.call_id,
    runId: row.run_id,
    tool: row.tool,
    argsHash: row.args_hash,
    startedAt: Number(row.started_at),
    completedAt: row.completed_at === null ? null : Number(row.completed_at),
  };
}
