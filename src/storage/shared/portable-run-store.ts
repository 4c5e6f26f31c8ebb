import type { NewRun, Run, RunLease, RunPatch, RunStatus, RunStore } from '../../agent/types.ts';
import type { UserId } from '../../identity/types.ts';
import { runFromRow, runPatchColumns } from '../rows/agent-rows.ts';
import type { RunRow } from '../schema.ts';
import type { PortableContext } from './portable-context.ts';
import { claimNextRun, listExpiredRunLeases, renewRunLeases } from './run-lease-queries.ts';

/**
 * `RunStore` for both adapters. `update` is one UPDATE … WHERE status IN (…) RETURNING: a status
 * compare-and-set, atomic on SQLite (one writer) and on PostgreSQL (which re-checks the WHERE on
 * the row version it locks), so of two workers in any processes racing to move a run out of
 * `queued`, exactly one wins. SQLite prepares `get`, see its subclass.
 */
export class PortableRunStore implements RunStore {
  constructor(protected readonly context: PortableContext) {}

  async create(run: NewRun): Promise<Run> {
    const row: RunRow = {
      id: run.id,
      thread_id: run.threadId,
      requester_id: run.requesterId,
      trigger_message_id: run.triggerMessageId,
      mode: run.mode,
      status: run.status,
      answer_message_id: null,
      error: null,
      steps: '[]',
      labels: '[]',
      state: 'null',
      created_at: run.createdAt,
      updated_at: run.createdAt,
      lease_owner: null,
      lease_expires_at: null,
      audience: run.audience ?? 'me',
      shared_message_id: null,
    };
    await this.context.kysely.insertInto('runs').values(row).execute();
    return runFromRow(row);
  }

  async get(id: string): Promise<Run | undefined> {
    const row = await this.context.kysely.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && runFromRow(row);
  }

  async update(id: string, patch: RunPatch, expectedStatus?: readonly RunStatus[]): Promise<Run | undefined> {
    if (expectedStatus?.length === 0) return undefined;
    let query = this.context.kysely
      .updateTable('runs')
      .set({ ...runPatchColumns(patch), updated_at: this.context.clock.now() })
      .where('id', '=', id);
    if (expectedStatus) query = query.where('status', 'in', expectedStatus);
    const row = await query.returningAll().executeTakeFirst();
    return row && runFromRow(row);
  }

  async listByStatus(
    statuses: readonly RunStatus[],
    filter: { threadId?: string; requesterId?: UserId } = {},
  ): Promise<Run[]> {
    if (statuses.length === 0) return [];
    let query = this.context.kysely.selectFrom('runs').selectAll().where('status', 'in', statuses);
    if (filter.threadId !== undefined) query = query.where('thread_id', '=', filter.threadId);
    if (filter.requesterId !== undefined) query = query.where('requester_id', '=', filter.requesterId);
    const rows = await query.orderBy('created_at').orderBy(this.context.byteOrder('id')).execute();
    return rows.map(runFromRow);
  }

  claimNext(lease: RunLease): Promise<Run | undefined> {
    return claimNextRun(this.context, lease);
  }

  renewLeases(lease: RunLease): Promise<number> {
    return renewRunLeases(this.context, lease);
  }

  listExpiredLeases(now: number): Promise<Run[]> {
    return listExpiredRunLeases(this.context, now);
  }
}
