import { Hono } from 'hono';
import { z } from 'zod';
import type { AuditReadFilter } from '../../audit/audit-reads.ts';
import type {
  AuditCheckpointResponse,
  AuditVerifyWithCheckpointResponse,
} from '../../protocol/audit-checkpoint-wire.ts';
import { AppError } from '../../protocol/errors.ts';
import {
  AuditExportQuery,
  type AuditFilterSchema,
  AuditQuerySchema,
  type AuditResponse,
  type AuditThreadsResponse,
} from '../../protocol/wire.ts';
import { canReadAudit } from '../audit-access.ts';
import { currentAuth } from '../middleware/authenticate.ts';
import { readQuery } from '../request-validation.ts';
import type { RouteContext } from '../route-context.ts';
import type { HttpEnv } from '../types.ts';
import { toAuditRecordWire } from '../wire-mappers.ts';

const NoQuery = z.strictObject({});
const DEFAULT_LIMIT = 200;

/**
 * The audit log (I6), a thin edge over `AuditReads` (src/audit/audit-reads.ts), which holds the
 * read rules: auditors (policy `readAuditLog`) see every record and the titles of the threads
 * the log names; everyone else sees only the records where they are the requester, and asking
 * for someone else's is 403. The page and the export take the same filters. Verifying the
 * whole chain, with the deployment's signed checkpoints, and reading the latest checkpoint (to
 * keep it elsewhere as an anchor) are for auditors.
 */
export function auditRoutes(context: RouteContext): Hono<HttpEnv> {
  const router = new Hono<HttpEnv>();
  const { app, auditCheckpoints } = context;

  router.get('/audit', async (c) => {
    const { user } = currentAuth(c);
    const query = readQuery(c, AuditQuerySchema);
    const records = await app.auditReads.query(user.id, filterOf(query), {
      ...(query.after !== undefined ? { afterSeq: query.after } : {}),
      ...(query.before !== undefined ? { beforeSeq: query.before } : {}),
      newestFirst: query.order === 'desc',
      limit: query.limit ?? DEFAULT_LIMIT,
    });
    const response: AuditResponse = { records: records.map(toAuditRecordWire) };
    return c.json(response);
  });

  router.get('/audit/threads', async (c) => {
    const { user } = currentAuth(c);
    readQuery(c, NoQuery);
    const response: AuditThreadsResponse = { threads: await app.auditReads.threads(user.id) };
    return c.json(response);
  });

  router.get('/audit/verify', async (c) => {
    const { user } = currentAuth(c);
    readQuery(c, NoQuery);
    if (!(await canReadAudit(app, user.id)))
      throw new AppError('forbidden', 'Only auditors may verify the audit chain');
    await app.audit.drain();
    const result = await app.auditReads.verify({ checkpoints: auditCheckpoints });
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
    const { format, ...filters } = readQuery(c, AuditExportQuery);
    const lines = await app.auditReads.export(user.id, filterOf(filters), format);
    return c.body(toStream(lines), 200, {
      'Content-Type': 'application/x-ndjson; charset=utf-8',
      'Content-Disposition': `attachment; filename="behalf-audit.${format === 'otel' ? 'otel.' : ''}jsonl"`,
    });
  });

  return router;
}

/** The wire filters as the use case's (absent ones left out). */
function filterOf(query: z.output<typeof AuditFilterSchema>): AuditReadFilter {
  const filter: AuditReadFilter = {};
  if (query.user !== undefined) filter.requester = query.user;
  if (query.thread !== undefined) filter.threadId = query.thread;
  if (query.run !== undefined) filter.runId = query.run;
  if (query.decision !== undefined) filter.decision = query.decision;
  if (query.action !== undefined) filter.action = query.action;
  if (query.q !== undefined) filter.text = query.q;
  if (query.from !== undefined) filter.fromAt = query.from;
  if (query.to !== undefined) filter.toAt = query.to;
  return filter;
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
