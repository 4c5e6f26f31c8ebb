import { Hono } from 'hono';
import { z } from 'zod';
import type { WorkspaceAdmin } from '../../app/workspace-admin.ts';
import { AppError } from '../../protocol/errors.ts';
import {
  type AdminAccessResponse,
  AdminDecideBody,
  type AdminDecisionWire,
  type AdminWorkspaceResponse,
} from '../../protocol/wire.ts';
import { currentAuth } from '../middleware/authenticate.ts';
import { readJsonBody, readQuery } from '../request-validation.ts';
import type { RouteContext } from '../route-context.ts';
import type { HttpEnv } from '../types.ts';

const NoQuery = z.strictObject({});

/**
 * The administrator's page (SPEC §12, issue 9 point 7), a thin edge over `WorkspaceAdmin`
 * (src/app/workspace-admin.ts), which holds the rules: only members of the workspace's `admins`
 * groups read the workspace or run decisions (403 otherwise); every decision is audited. Without
 * a served workspace there is no such page: every route is 404.
 */
export function adminRoutes(context: RouteContext): Hono<HttpEnv> {
  const router = new Hono<HttpEnv>();
  const admin = (): WorkspaceAdmin => {
    const found = context.app.admin;
    if (!found) throw new AppError('not_found', 'No workspace is served, so there is no administrator page');
    return found;
  };

  router.get('/admin/access', async (c) => {
    const { user } = currentAuth(c);
    readQuery(c, NoQuery);
    const workspace = admin();
    const response: AdminAccessResponse = { admin: await workspace.isAdmin(user.id), workspace: workspace.name() };
    return c.json(response);
  });

  router.get('/admin/workspace', async (c) => {
    const { user } = currentAuth(c);
    readQuery(c, NoQuery);
    const response: AdminWorkspaceResponse = await admin().overview(user.id);
    return c.json(response);
  });

  router.post('/admin/decide', async (c) => {
    const { user } = currentAuth(c);
    const workspace = admin();
    const body = await readJsonBody(c, AdminDecideBody);
    const decision = await workspace.decide(user.id, body);
    return c.json(decision satisfies AdminDecisionWire);
  });

  return router;
}
