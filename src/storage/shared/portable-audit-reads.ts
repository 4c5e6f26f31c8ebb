import { type Kysely, type SqlBool, sql } from 'kysely';
import type { AuditLogStore, AuditQuery, AuditRecord } from '../../audit/types.ts';
import { auditRecordFromRow } from '../rows/audit-rows.ts';
import type { AuditRow, StorageDatabase } from '../schema.ts';

/** Columns `AuditQuery.text` searches (besides thread titles, when asked). */
const TEXT_COLUMNS = [
  'action',
  'resource',
  'reason',
  'requester',
  'agent',
  'thread_id',
  'run_id',
  'statement',
] as const satisfies ReadonlyArray<keyof AuditRow>;

/**
 * The text as a LIKE pattern matching it anywhere, literally: `\`, `%` and `_` are escaped (the
 * statements say `ESCAPE '\'`), so a search for `100%` or `hr_` finds exactly that.
 */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/**
 * The read side of `AuditLogStore`, the same SQL on both engines. Each adapter extends it with
 * its own write side (`commit`, `appendChained`, `head`), where locking differs.
 *
 * Text search is `lower(column) LIKE pattern` on both engines rather than either's full-text
 * index: the log's fields are identifiers, dotted actions and short reasons, not prose, so word
 * stemming would miss `data.query` or `sales-pipeline:emea` fragments people type. It is a scan
 * bounded by `limit` in `seq` order (SQLite's `lower` folds ASCII only; PostgreSQL's every letter).
 */
export abstract class PortableAuditReads implements Pick<AuditLogStore, 'query' | 'scan' | 'count' | 'threadsNamed'> {
  constructor(protected readonly reads: Kysely<StorageDatabase>) {}

  async query(filter: AuditQuery): Promise<AuditRecord[]> {
    let query = this.reads
      .selectFrom('audit_log')
      .selectAll('audit_log')
      .where('seq', '>', filter.afterSeq ?? 0);
    if (filter.beforeSeq !== undefined) query = query.where('seq', '<', filter.beforeSeq);
    if (filter.requester !== undefined) query = query.where('requester', '=', filter.requester);
    if (filter.threadId !== undefined) query = query.where('thread_id', '=', filter.threadId);
    if (filter.runId !== undefined) query = query.where('run_id', '=', filter.runId);
    if (filter.decision !== undefined) query = query.where('decision', '=', filter.decision);
    if (filter.action !== undefined) query = query.where('action', '=', filter.action);
    if (filter.fromAt !== undefined) query = query.where('at', '>=', filter.fromAt);
    if (filter.toAt !== undefined) query = query.where('at', '<', filter.toAt);
    if (filter.text !== undefined && filter.text !== '') {
      const pattern = containsPattern(filter.text);
      const titles = filter.textMatchesThreadTitles === true;
      query = query.where((eb) =>
        eb.or([
          ...TEXT_COLUMNS.map(
            (column) => sql<SqlBool>`lower(${sql.ref(`audit_log.${column}`)}) like ${pattern} escape '\\'`,
          ),
          ...(titles
            ? [
                eb(
                  'audit_log.thread_id',
                  'in',
                  eb
                    .selectFrom('threads')
                    .select('threads.id')
                    .where(sql<SqlBool>`lower(threads.title) like ${pattern} escape '\\'`),
                ),
              ]
            : []),
        ]),
      );
    }
    query = query.orderBy('seq', filter.newestFirst ? 'desc' : 'asc');
    if (filter.limit !== undefined) query = query.limit(filter.limit);
    return (await query.execute()).map(auditRecordFromRow);
  }

  async threadsNamed(): Promise<Array<{ id: string; title: string }>> {
    const rows = await this.reads
      .selectFrom('threads')
      .select(['threads.id', 'threads.title'])
      .where((eb) =>
        eb.exists(eb.selectFrom('audit_log').select('seq').whereRef('audit_log.thread_id', '=', 'threads.id')),
      )
      .orderBy('threads.title')
      .orderBy('threads.id')
      .execute();
    return rows.map((row) => ({ id: row.id, title: row.title }));
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
