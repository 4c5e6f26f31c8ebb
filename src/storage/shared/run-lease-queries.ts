import type { Run, RunLease } from '../../agent/types.ts';
import { runFromRow } from '../rows/agent-rows.ts';
import type { PortableContext } from './portable-context.ts';

const ACTIVE = ['running', 'awaiting_approval'] as const;

/** `RunStore.claimNext`: the oldest queued run becomes `running` under the lease, atomically. */
export async function claimNextRun(context: PortableContext, lease: RunLease): Promise<Run | undefined> {
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
        .orderBy(context.byteOrder('id'))
        .limit(1);
      return context.skipLocked ? oldest.forUpdate().skipLocked() : oldest;
    })
    .where('status', '=', 'queued')
    .returningAll()
    .executeTakeFirst();
  return row && runFromRow(row);
}

/** `RunStore.renewLeases`: extends the owner's leases on its active runs. */
export async function renewRunLeases(context: PortableContext, lease: RunLease): Promise<number> {
  const result = await context.kysely
    .updateTable('runs')
    .set({ lease_expires_at: lease.expiresAt })
    .where('lease_owner', '=', lease.owner)
    .where('status', 'in', ACTIVE)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** `RunStore.listExpiredLeases`: active runs whose worker stopped renewing. */
export async function listExpiredRunLeases(context: PortableContext, now: number): Promise<Run[]> {
  const rows = await context.kysely
    .selectFrom('runs')
    .selectAll()
    .where('status', 'in', ACTIVE)
    .where('lease_expires_at', '<', now)
    .orderBy('created_at')
    .orderBy(context.byteOrder('id'))
    .execute();
  return rows.map(runFromRow);
}
