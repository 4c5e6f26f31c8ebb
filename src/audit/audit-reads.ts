import type { UserId } from '../identity/types.ts';
import type { PolicyEngine } from '../policy/types.ts';
import { AppError } from '../protocol/errors.ts';
import { type AuditExportFormat, exportAudit, toOtelSpan } from './export.ts';
import type { AuditLogStore, AuditQuery, AuditRecord, AuditVerification } from './types.ts';
import { verifyAuditLog } from './verify-audit-log.ts';

/**
 * What a reader asks of the log: the filters of `GET /api/audit` and `/api/audit/export`. Only
 * auditors may name another `requester`; `textMatchesThreadTitles` is decided here, not asked for.
 */
export type AuditReadFilter = Pick<
  AuditQuery,
  'requester' | 'threadId' | 'runId' | 'decision' | 'action' | 'text' | 'fromAt' | 'toAt'
>;

/** One page of `query`: newest first when `newestFirst`, `before` the seq to continue from. */
export interface AuditPageRequest {
  afterSeq?: number;
  beforeSeq?: number;
  newestFirst?: boolean;
  limit: number;
}

/** A thread the log names, as an auditor's filter shows it. */
export interface AuditThreadRef {
  id: string;
  title: string;
}

/**
 * The read rules of the audit log (I6), for every edge (HTTP, CLI): who may read what, with the
 * same filters for the page and the export.
 *
 * - Auditors (policy `readAuditLog` on `AuditLog::"global"`) read every record, filter by anyone
 *   and any thread, and their text search also matches thread titles.
 * - Everyone else reads only the records they requested: the requester filter is forced to them,
 *   naming someone else is `forbidden` (never an empty page that would hide the rule), and their
 *   text search never matches thread titles — a title can change after they left the thread.
 * - Thread titles for the filter (`threads`) are for auditors only: they may filter by threads
 *   they are not a member of, and nobody else learns titles from the log.
 *
 * Reading the log is not itself audited (as before): it reads records, not the data they name.
 */
export class AuditReads {
  constructor(private readonly deps: { policy: PolicyEngine; store: AuditLogStore }) {}

  /** Whether the person may read the whole log (auditors by default). Fails closed. */
  async isAuditor(reader: UserId): Promise<boolean> {
    const decision = await this.deps.policy.authorize({
      principal: { type: 'User', id: reader },
      action: 'readAuditLog',
      resource: { type: 'AuditLog', id: 'global' },
      context: { viaAgent: false },
    });
    return decision.effect === 'allow';
  }

  /** One page of the records `reader` may see that match `filter`. */
  async query(reader: UserId, filter: AuditReadFilter, page: AuditPageRequest): Promise<AuditRecord[]> {
    const query = await this.scoped(reader, filter);
    return this.deps.store.query({ ...query, ...page });
  }

  /**
   * Every record `reader` may see that matches `filter`, in seq order, as export lines: one JSON
   * record per line (`jsonl`) or one OpenTelemetry-shaped span (`otel`). The access check runs
   * before the first line, so a refused export fails as a whole.
   */
  async export(
    reader: UserId,
    filter: AuditReadFilter,
    format: AuditExportFormat,
    pageSize = 500,
  ): Promise<AsyncGenerator<string>> {
    const query = await this.scoped(reader, filter);
    const { store } = this.deps;
    return (async function* lines() {
      let afterSeq = 0;
      for (;;) {
        const records = await store.query({ ...query, afterSeq, limit: pageSize });
        if (records.length === 0) return;
        for (const record of records) yield JSON.stringify(format === 'otel' ? toOtelSpan(record) : record);
        afterSeq = records[records.length - 1]?.seq ?? afterSeq;
      }
    })();
  }

  /**
   * The chain checked from genesis against its checkpoints and an optional anchor (I6). For an
   * auditor at the edge (the caller checks `isAuditor`) and for the operator's CLI.
   */
  verify(options: Parameters<typeof verifyAuditLog>[1] = {}): Promise<AuditVerification> {
    return verifyAuditLog(this.deps.store, options);
  }

  /** How many records the log holds (progress of a verification). */
  count(): Promise<number> {
    return this.deps.store.count();
  }

  /**
   * The whole log as export lines, for the operator of the deployment (`behalf audit export`
   * runs with the data directory's own rights, so no reader is checked).
   */
  exportAll(format: AuditExportFormat): AsyncIterable<string> {
    return exportAudit(this.deps.store, format);
  }

  /** Id and title of every thread the log names, for an auditor's filter; `forbidden` for anyone else. */
  async threads(reader: UserId): Promise<AuditThreadRef[]> {
    if (!(await this.isAuditor(reader))) {
      throw new AppError('forbidden', 'Only auditors may list the threads the audit log names');
    }
    return this.deps.store.threadsNamed();
  }

  /** The store query for `filter` under the reader's rights (see the class comment). */
  private async scoped(reader: UserId, filter: AuditReadFilter): Promise<AuditQuery> {
    const auditor = await this.isAuditor(reader);
    if (!auditor && filter.requester !== undefined && filter.requester !== reader) {
      throw new AppError('forbidden', 'Only auditors may read other people’s audit records');
    }
    const query: AuditQuery = {};
    const requester = auditor ? filter.requester : reader;
    if (requester !== undefined) query.requester = requester;
    if (filter.threadId !== undefined) query.threadId = filter.threadId;
    if (filter.runId !== undefined) query.runId = filter.runId;
    if (filter.decision !== undefined) query.decision = filter.decision;
    if (filter.action !== undefined) query.action = filter.action;
    if (filter.fromAt !== undefined) query.fromAt = filter.fromAt;
    if (filter.toAt !== undefined) query.toAt = filter.toAt;
    if (filter.text !== undefined && filter.text.trim() !== '') {
      query.text = filter.text.trim();
      query.textMatchesThreadTitles = auditor;
    }
    return query;
  }
}
