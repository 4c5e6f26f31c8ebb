import type { Kysely } from 'kysely';
import type { AuditLogStore, AuditQuery, AuditRecord } from '../../audit/types.ts';
import { auditRecordFromRow } from '../rows/audit-rows.ts';
import type { StorageDatabase } from '../schema.ts';

/**
 * The read side of `AuditLogStore`, the same SQL on both engines. Each adapter extends it with
 * its own write side (`commit`, `appendChained`, `head`), where locking differs.
 */
export abstract class PortableAuditReads implements Pick<AuditLogStore, 'query' | 'scan' | 'count'> {
  constructor(protected readonly reads: Kysely<StorageDatabase>) {}

  async query(filter: AuditQuery): Promise<AuditRecord[]> {
    let query = this.reads
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', filter.afterSeq ?? 0);
    if (filter.requester !== undefined) query = query.where('requester', '=', filter.requester);
    if (filter.threadId !== undefined) query = query.where('thread_id', '=', filter.threadId);
    if (filter.runId !== undefined) query = query.where('run_id', '=', filter.runId);
    if (filter.decision !== undefined) query = query.where('decision', '=', filter.decision);
    if (filter.action !== undefined) query = query.where('action', '=', filter.action);
    query = query.orderBy('seq');
    if (filter.limit !== undefined) query = query.limit(filter.limit);
    return (await query.execute()).map(auditRecordFromRow);
  }

  async scan(afterSeq: number, limit: number): Promise<AuditRecord[]> {
    const rows = await this.reads
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(auditRecordFromRow);
  }

  async count(): Promise<number> {
    const row = await this.reads
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
}
