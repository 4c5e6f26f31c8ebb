import { Hono } from 'hono';
import type { RouteContext } from '../route-context.ts';
import type { HttpEnv } from '../types.ts';

/**
 * `GET /.well-known/jwks.json`: the public keys that verify Behalf's signed delegation grants,
 * for tools outside the process (SPEC §6). The OAuth metadata and token-exchange endpoints
 * belong to issue 4.
 */
export function wellKnownRoutes(context: RouteContext): Hono<HttpEnv> {
  const router = new Hono<HttpEnv>();
  router.get('/jwks.json', (c) => c.json(context.app.grants.jwks(), 200, { 'Cache-Control': 'public, max-age=300' }));
  return router;
}
