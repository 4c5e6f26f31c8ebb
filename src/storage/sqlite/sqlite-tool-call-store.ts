import type { Statement } from 'better-sqlite3';
import { AppError } from '../../protocol/errors.ts';
import type { ToolCallIntent, ToolCallStore } from '../../tools/types.ts';
import { toolCallFromRow } from '../rows/tool-call-rows.ts';
import type { SqliteContext } from './sqlite-context.ts';

/**
 * `ToolCallStore` on SQLite. `begin` and `complete` bracket every tool call, so both are prepared
 * statements; `begin` is an insert the primary key refuses for a call id already seen.
 */
export class SqliteToolCallStore implements ToolCallStore {
  readonly #context: SqliteContext;
  readonly #begin: Statement<[string, string, string, string, number]>;
  readonly #complete: Statement<[number, string]>;

  constructor(context: SqliteContext) {
    const { db } = context;
    this.#context = context;
    this.#begin = db.prepare(
      `INSERT INTO tool_calls (call_id, run_id, tool, args_hash, started_at, completed_at)
       VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT DO NOTHING`,
    );
    // The first completion time stands, like the one terminal audit record it marks.
    this.#complete = db.prepare('UPDATE tool_calls SET completed_at = COALESCE(completed_at, ?) WHERE call_id = ?');
  }

  async begin(intent: Omit<ToolCallIntent, 'completedAt'>): Promise<boolean> {
    return this.#begin.run(intent.callId, intent.runId, intent.tool, intent.argsHash, intent.startedAt).changes === 1;
  }

  async complete(callId: string, at: number): Promise<void> {
    if (this.#complete.run(at, callId).changes === 0) {
      throw new AppError('not_found', 'Tool call not found.', { callId });
    }
  }

  async listIncomplete(filter: { runId?: string } = {}): Promise<ToolCallIntent[]> {
    let query = this.#context.kysely.selectFrom('tool_calls').selectAll().where('completed_at', 'is', null);
    if (filter.runId !== undefined) query = query.where('run_id', '=', filter.runId);
    const rows = await query.orderBy('started_at').orderBy('call_id').execute();
    return rows.map(toolCallFromRow);
  }
}
