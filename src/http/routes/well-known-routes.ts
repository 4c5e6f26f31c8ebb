import { Hono } from 'hono';
import { authorizationServerMetadata } from '../../delegation/token-exchange-metadata.ts';
import type { RouteContext } from '../route-context.ts';
import type { HttpEnv } from '../types.ts';

/**
 * For tools outside the process (SPEC §6): `GET /.well-known/jwks.json`, the public keys that
 * verify Behalf's signed delegation grants, and `GET /.well-known/oauth-authorization-server`,
 * the RFC 8414 metadata of the token-exchange endpoint (`POST /oauth/token`).
 */
export function wellKnownRoutes(context: RouteContext): Hono<HttpEnv> {
  const router = new Hono<HttpEnv>();
  router.get('/jwks.json', (c) => c.json(context.app.grants.jwks(), 200, { 'Cache-Control': 'public, max-age=300' }));
  router.get('/oauth-authorization-server', (c) =>
    c.json(authorizationServerMetadata(context.app.grants.issuer), 200, { 'Cache-Control': 'public, max-age=300' }),
  );
  return router;
}
