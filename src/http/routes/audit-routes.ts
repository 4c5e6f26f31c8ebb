import { Hono } from 'hono';
import { z } from 'zod';
import { exportAudit, toOtelSpan } from '../../audit/export.ts';
import type { AuditLogStore } from '../../audit/types.ts';
import { verifyAuditLog } from '../../audit/verify-audit-log.ts';
import type {
  AuditCheckpointResponse,
  AuditVerifyWithCheckpointResponse,
} from '../../protocol/audit-checkpoint-wire.ts';
import { AppError } from '../../protocol/errors.ts';
import { AuditExportQuery, AuditQuerySchema, type AuditResponse } from '../../protocol/wire.ts';
import { canReadAudit } from '../audit-access.ts';
import { currentAuth } from '../middleware/authenticate.ts';
import { readQuery } from '../request-validation.ts';
import type { RouteContext } from '../route-context.ts';
import type { HttpEnv } from '../types.ts';
import { toAuditRecordWire } from '../wire-mappers.ts';

const NoQuery = z.strictObject({});
const DEFAULT_LIMIT = 200;

/**
 * The audit log (I6). Auditors (policy `readAuditLog`) see every record; everyone else sees only
 * the records where they are the requester, and asking for someone else's is 403. Verifying the
 * whole chain, with the deployment's signed checkpoints, and reading the latest checkpoint (to
 * keep it elsewhere as an anchor) are for auditors.
 */
export function auditRoutes(context: RouteContext): Hono<HttpEnv> {
  const router = new Hono<HttpEnv>();
  const { app, auditCheckpoints } = context;

  router.get('/audit', async (c) => {
    const { user } = currentAuth(c);
    const query = readQuery(c, AuditQuerySchema);
    const auditor = await canReadAudit(app, user.id);
    if (!auditor && query.user !== undefined && query.user !== user.id) {
      throw new AppError('forbidden', 'Only auditors may read other people’s audit records');
    }
    const records = await app.store.audit.query({
      ...(auditor ? (query.user !== undefined ? { requester: query.user } : {}) : { requester: user.id }),
      ...(query.thread !== undefined ? { threadId: query.thread } : {}),
      ...(query.run !== undefined ? { runId: query.run } : {}),
      ...(query.decision !== undefined ? { decision: query.decision } : {}),
      ...(query.action !== undefined ? { action: query.action } : {}),
      ...(query.after !== undefined ? { afterSeq: query.after } : {}),
      limit: query.limit ?? DEFAULT_LIMIT,
    });
    const response: AuditResponse = { records: records.map(toAuditRecordWire) };
    return c.json(response);
  });

  router.get('/audit/verify', async (c) => {
    const { user } = currentAuth(c);
    readQuery(c, NoQuery);
    if (!(await canReadAudit(app, user.id)))
      throw new AppError('forbidden', 'Only auditors may verify the audit chain');
    await app.audit.drain();
    const result = await verifyAuditLog(app.store.audit, { checkpoints: auditCheckpoints });
    return c.json(result satisfies AuditVerifyWithCheckpointResponse);
  });

  router.get('/audit/checkpoint', async (c) => {
    const { user } = currentAuth(c);
    readQuery(c, NoQuery);
    if (!(await canReadAudit(app, user.id)))
      throw new AppError('forbidden', 'Only auditors may read the audit checkpoint');
    const latest = auditCheckpoints ? await auditCheckpoints.latest() : { checkpoint: null, problem: null };
    const { checkpoint } = latest;
    const response: AuditCheckpointResponse = {
      checkpoint,
      anchor: checkpoint ? `${checkpoint.seq}:${checkpoint.hash}` : null,
      problem: latest.problem,
    };
    return c.json(response);
  });

  router.get('/audit/export', async (c) => {
    const { user } = currentAuth(c);
    const { format } = readQuery(c, AuditExportQuery);
    const auditor = await canReadAudit(app, user.id);
    const lines = auditor ? exportAudit(app.store.audit, format) : ownRecords(app.store.audit, user.id, format);
    return c.body(toStream(lines), 200, {
      'Content-Type': 'application/x-ndjson; charset=utf-8',
      'Content-Disposition': `attachment; filename="behalf-audit.${format === 'otel' ? 'otel.' : ''}jsonl"`,
    });
  });

  return router;
}

/** The records `requester` asked for, in seq order, as export lines. */
async function* ownRecords(store: AuditLogStore, requester: string, format: 'jsonl' | 'otel'): AsyncGenerator<string> {
  let afterSeq = 0;
  for (;;) {
    const page = await store.query({ requester, afterSeq, limit: 500 });
    if (page.length === 0) return;
    for (const record of page) yield JSON.stringify(format === 'otel' ? toOtelSpan(record) : record);
    afterSeq = page[page.length - 1]?.seq ?? afterSeq;
  }
}

function toStream(lines: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(`${next.value}\n`));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
}
