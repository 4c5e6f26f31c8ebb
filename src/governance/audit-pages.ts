import type { AuditLogStore, AuditRecord } from '../audit/types.ts';

/**
 * The log in seq order up to `untilSeq` (inclusive), one page at a time, so a report over
 * millions of records holds one page in memory. Both passes of a report stop at the head taken
 * when it started: records appended meanwhile belong to the next report.
 */
export async function* auditPages(
  audit: Pick<AuditLogStore, 'scan'>,
  pageSize: number,
  untilSeq: number,
): AsyncGenerator<AuditRecord[]> {
  let afterSeq = 0;
  while (afterSeq < untilSeq) {
    const page = (await audit.scan(afterSeq, pageSize)).filter((record) => record.seq <= untilSeq);
    if (page.length === 0) return;
    yield page;
    afterSeq = (page[page.length - 1] as AuditRecord).seq;
  }
}
