import { Hono } from 'hono';
import { z } from 'zod';
import type { UsersResponse } from '../../protocol/wire.ts';
import { currentAuth } from '../middleware/authenticate.ts';
import { readQuery } from '../request-validation.ts';
import type { RouteContext } from '../route-context.ts';
import type { HttpEnv } from '../types.ts';
import { toUserWire } from '../wire-mappers.ts';

const NoQuery = z.strictObject({});

/** `GET /api/users`: the people of the deployment (names, titles, groups), for member management. */
export function userRoutes(context: RouteContext): Hono<HttpEnv> {
  const router = new Hono<HttpEnv>();

  router.get('/users', async (c) => {
    currentAuth(c);
    readQuery(c, NoQuery);
    const response: UsersResponse = { users: (await context.app.people.list()).map(toUserWire) };
    return c.json(response);
  });

  return router;
}
