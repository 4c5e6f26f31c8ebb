import { Hono } from 'hono';
import { z } from 'zod';
import type { GovernanceReport } from '../../governance/types.ts';
import { AppError } from '../../protocol/errors.ts';
import { canReadAudit } from '../audit-access.ts';
import { currentAuth } from '../middleware/authenticate.ts';
import { readQuery } from '../request-validation.ts';
import type { RouteContext } from '../route-context.ts';
import type { HttpEnv } from '../types.ts';

const NoQuery = z.strictObject({});

/**
 * `GET /api/governance`: the SPEC §9 report (`computeGovernanceReport`) for this deployment, as
 * the web UI's governance page plots it. Auditors only (policy `readAuditLog`, the same gate as
 * the whole audit log): the report is derived from every thread and the whole log, and names
 * threads, their members and requesters that a member of other threads may not know exist (I8).
 * Pending audit writes are flushed first so the report includes the latest actions.
 */
export function governanceRoutes(context: RouteContext): Hono<HttpEnv> {
  const router = new Hono<HttpEnv>();
  const { app } = context;

  router.get('/governance', async (c) => {
    const { user } = currentAuth(c);
    readQuery(c, NoQuery);
    if (!(await canReadAudit(app, user.id)))
      throw new AppError('forbidden', 'Only auditors may read the governance report');
    const report: GovernanceReport = await app.governance.report();
    return c.json(report);
  });

  return router;
}
