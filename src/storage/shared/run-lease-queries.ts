import type { Kysely } from 'kysely';
import type { Run, RunLease } from '../../agent/types.ts';
import type { Clock } from '../../shared/clock.ts';
import { runFromRow } from '../rows/agent-rows.ts';
import type { StorageDatabase } from '../schema.ts';

/** What the portable lease queries need from an adapter. */
export interface LeaseQueryContext {
  kysely: Kysely<StorageDatabase>;
  clock: Clock;
  /**
   * PostgreSQL: lock the chosen row and skip rows other workers hold (`FOR UPDATE SKIP LOCKED`),
   * so concurrent claimers take different runs instead of queuing on one. SQLite serializes
   * writers, so a plain subquery is already atomic there.
   */
  skipLocked: boolean;
}

const ACTIVE = ['running', 'awaiting_approval'] as const;

/** `RunStore.claimNext`: the oldest queued run becomes `running` under the lease, atomically. */
export async function claimNextRun(context: LeaseQueryContext, lease: RunLease): Promise<Run | undefined> {
  const row = await context.kysely
    .updateTable('runs')
    .set({
      status: 'running',
      lease_owner: lease.owner,
      lease_expires_at: lease.expiresAt,
      updated_at: context.clock.now(),
    })
    .where('id', '=', (eb) => {
      const oldest = eb
        .selectFrom('runs')
        .select('id')
        .where('status', '=', 'queued')
        .orderBy('created_at')
        .orderBy('id')
        .limit(1);
      return context.skipLocked ? oldest.forUpdate().skipLocked() : oldest;
    })
    .where('status', '=', 'queued')
    .returningAll()
    .executeTakeFirst();
  return row && runFromRow(row);
}

/** `RunStore.renewLeases`: extends the owner's leases on its active runs. */
export async function renewRunLeases(context: LeaseQueryContext, lease: RunLease): Promise<number> {
  const result = await context.kysely
    .updateTable('runs')
    .set({ lease_expires_at: lease.expiresAt })
    .where('lease_owner', '=', lease.owner)
    .where('status', 'in', ACTIVE)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** `RunStore.listExpiredLeases`: active runs whose worker stopped renewing. */
export async function listExpiredRunLeases(context: LeaseQueryContext, now: number): Promise<Run[]> {
  const rows = await context.kysely
    .selectFrom('runs')
    .selectAll()
    .where('status', 'in', ACTIVE)
    .where('lease_expires_at', '<', now)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(runFromRow);
}
