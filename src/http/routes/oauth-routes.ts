import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { TokenEndpoint } from '../../delegation/token-exchange-endpoint.ts';
import { clientAddress } from '../client-address.ts';
import type { HttpEnv } from '../types.ts';

/**
 * `POST /oauth/token` (mounted under `/oauth`): the RFC 8693 token exchange for tools outside
 * the process. Not under `/api`: it authenticates OAuth clients (HTTP Basic), not sessions, and
 * answers in RFC 6749 §5.2 shape (`{ error, error_description }`), never the API's error shape.
 * Failed client authentications are throttled per network source (`trustedProxies` may name
 * the request's source in `X-Forwarded-For`).
 */
export function oauthRoutes(endpoint: TokenEndpoint, trustedProxies: readonly string[] = []): Hono<HttpEnv> {
  const router = new Hono<HttpEnv>();
  router.post('/token', async (c) => {
    const reply = await endpoint.handle({
      authorization: c.req.header('authorization'),
      source: clientAddress(c, trustedProxies),
      contentType: c.req.header('content-type'),
      body: await c.req.text(),
    });
    return c.json(reply.body, reply.status as ContentfulStatusCode, reply.headers);
  });
  return router;
}
