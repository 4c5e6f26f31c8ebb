import type { Approval, ApprovalStore } from '../../agent/types.ts';
import type { UserId } from '../../identity/types.ts';
import { approvalFromRow, jsonText } from '../rows/agent-rows.ts';
import type { ApprovalRow } from '../schema.ts';
import type { PortableContext } from './portable-context.ts';

/**
 * `ApprovalStore` for both adapters. `decide` only moves an approval out of `pending` (one
 * UPDATE with the status in its WHERE, which PostgreSQL re-checks on the row it locks), so a
 * double click, two tabs or two processes decide once (I7).
 */
export class PortableApprovalStore implements ApprovalStore {
  constructor(protected readonly context: PortableContext) {}

  async create(approval: Omit<Approval, 'status' | 'always' | 'decidedAt'>): Promise<Approval> {
    const row: ApprovalRow = {
      id: approval.id,
      run_id: approval.runId,
      thread_id: approval.threadId,
      requester_id: approval.requesterId,
      tool: approval.tool,
      call_id: approval.callId,
      args: jsonText(approval.args),
      status: 'pending',
      always: 0,
      created_at: approval.createdAt,
      decided_at: null,
    };
    await this.context.kysely.insertInto('approvals').values(row).execute();
    return approvalFromRow(row);
  }

  async get(id: string): Promise<Approval | undefined> {
    const row = await this.context.kysely.selectFrom('approvals').selectAll().where('id', '=', id).executeTakeFirst();
    return row && approvalFromRow(row);
  }

  async decide(id: string, decision: { approve: boolean; always: boolean; at: number }): Promise<Approval | undefined> {
    const row = await this.context.kysely
      .updateTable('approvals')
      .set({
        status: decision.approve ? 'approved' : 'denied',
        always: decision.always ? 1 : 0,
        decided_at: decision.at,
      })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .returningAll()
      .executeTakeFirst();
    return row && approvalFromRow(row);
  }

  async listPending(filter: { runId?: string; requesterId?: UserId }): Promise<Approval[]> {
    let query = this.context.kysely.selectFrom('approvals').selectAll().where('status', '=', 'pending');
    if (filter.runId !== undefined) query = query.where('run_id', '=', filter.runId);
    if (filter.requesterId !== undefined) query = query.where('requester_id', '=', filter.requesterId);
    const rows = await query.orderBy('created_at').orderBy(this.context.byteOrder('id')).execute();
    return rows.map(approvalFromRow);
  }

  async hasStanding(userId: UserId, tool: string): Promise<boolean> {
    const row = await this.context.kysely
      .selectFrom('standing_approvals')
      .select('tool')
      .where('user_id', '=', userId)
      .where('tool', '=', tool)
      .executeTakeFirst();
    return row !== undefined;
  }

  async setStanding(userId: UserId, tool: string, at: number): Promise<void> {
    await this.context.kysely
      .insertInto('standing_approvals')
      .values({ user_id: userId, tool, created_at: at })
      .onConflict((conflict) => conflict.columns(['user_id', 'tool']).doNothing())
      .execute();
  }
}
