import { Hono } from 'hono';
import { z } from 'zod';
import { type ApprovalResponse, DecideApprovalBody, EntityIdSchema, type RunWire } from '../../protocol/wire.ts';
import { currentAuth } from '../middleware/authenticate.ts';
import { readJsonBody, readParams, readQuery } from '../request-validation.ts';
import type { RouteContext } from '../route-context.ts';
import type { HttpEnv } from '../types.ts';
import { toApprovalWire, toRunWire } from '../wire-mappers.ts';

const IdParams = z.strictObject({ id: EntityIdSchema });
const NoQuery = z.strictObject({});

/**
 * Runs and approvals. A run is visible to the members of its thread (the requester sees the
 * trace, others a summary); an approval only to its requester, who alone may decide it (I7).
 * Anything else is 404: the caller may not know it exists.
 */
export function runRoutes(context: RouteContext): Hono<HttpEnv> {
  const router = new Hono<HttpEnv>();
  const { app } = context;

  router.get('/runs/:id', async (c) => {
    const { user } = currentAuth(c);
    const { id } = readParams(c, IdParams);
    readQuery(c, NoQuery);
    return c.json(toRunWire(await app.agent.getRun(user.id, id)) satisfies RunWire);
  });

  router.post('/approvals/:id', async (c) => {
    const { user } = currentAuth(c);
    const { id } = readParams(c, IdParams);
    const body = await readJsonBody(c, DecideApprovalBody);
    const response: ApprovalResponse = {
      approval: toApprovalWire(await app.agent.approvals.decide(user.id, id, body)),
    };
    return c.json(response);
  });

  return router;
}
