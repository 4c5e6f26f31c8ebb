import { AppError } from '../../protocol/errors.ts';
import type { ToolCallIntent, ToolCallStore } from '../../tools/types.ts';
import { toolCallFromRow } from '../rows/tool-call-rows.ts';
import { inByteOrder, type PostgresContext } from './postgres-context.ts';

/**
 * `ToolCallStore` on PostgreSQL. `begin` is an insert the primary key refuses for a call id
 * already seen, so a call is begun once even when two processes race for it.
 */
export class PostgresToolCallStore implements ToolCallStore {
  readonly #context: PostgresContext;

  constructor(context: PostgresContext) {
    this.#context = context;
  }

  async begin(intent: Omit<ToolCallIntent, 'completedAt'>): Promise<boolean> {
    const result = await this.#context.kysely
      .insertInto('tool_calls')
      .values({
        call_id: intent.callId,
        run_id: intent.runId,
        tool: intent.tool,
        args_hash: intent.argsHash,
        started_at: intent.startedAt,
        completed_at: null,
      })
      .onConflict((conflict) => conflict.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async complete(callId: string, at: number): Promise<void> {
    // The first completion time stands, like the one terminal audit record it marks.
    const result = await this.#context.kysely
      .updateTable('tool_calls')
      .set((eb) => ({ completed_at: eb.fn.coalesce('completed_at', eb.val(at)) }))
      .where('call_id', '=', callId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new AppError('not_found', 'Tool call not found.', { callId });
  }

  async listIncomplete(filter: { runId?: string } = {}): Promise<ToolCallIntent[]> {
    let query = this.#context.kysely.selectFrom('tool_calls').selectAll().where('completed_at', 'is', null);
    if (filter.runId !== undefined) query = query.where('run_id', '=', filter.runId);
    const rows = await query.orderBy('started_at').orderBy(inByteOrder('call_id')).execute();
    return rows.map(toolCallFromRow);
  }
}
