import { Hono } from 'hono';
import { z } from 'zod';
import { type AgentIdentitiesResponse, type AgentIdentityWire, ProvisionAgentBody } from '../../protocol/wire.ts';
import { currentAuth } from '../middleware/authenticate.ts';
import { readJsonBody, readQuery } from '../request-validation.ts';
import type { RouteContext } from '../route-context.ts';
import type { HttpEnv } from '../types.ts';
import { toAgentIdentityWire } from '../wire-mappers.ts';

const NoQuery = z.strictObject({});

/**
 * Agent identities (SPEC §9): `GET /api/agents` lists them with whether the caller may assign
 * each; `POST /api/agents` provisions one (policy `provisionAgent`: administrators), audited.
 */
export function agentRoutes(context: RouteContext): Hono<HttpEnv> {
  const router = new Hono<HttpEnv>();

  router.get('/agents', async (c) => {
    const { user } = currentAuth(c);
    readQuery(c, NoQuery);
    const response: AgentIdentitiesResponse = {
      agents: (await context.app.agents.list(user.id)).map(toAgentIdentityWire),
    };
    return c.json(response);
  });

  router.post('/agents', async (c) => {
    const { user } = currentAuth(c);
    const body = await readJsonBody(c, ProvisionAgentBody);
    const identity = await context.app.agents.provision(user.id, body);
    return c.json(toAgentIdentityWire(identity) satisfies AgentIdentityWire, 201);
  });

  return router;
}
