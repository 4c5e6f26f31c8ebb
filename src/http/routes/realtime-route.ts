import { upgradeWebSocket } from '@hono/node-server';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { AppError } from '../../protocol/errors.ts';
import { currentAuth } from '../middleware/authenticate.ts';
import { readQuery } from '../request-validation.ts';
import type { RouteContext } from '../route-context.ts';
import type { HttpEnv } from '../types.ts';

const NoQuery = z.strictObject({});
/** A socket frees its slot when its tab closes, or within two missed heartbeats (a minute by default). */
const RETRY_AFTER_SECONDS = 30;

/**
 * `GET /api/ws`. Everything is checked before the upgrade, by the same middleware as every other
 * route: credentials from the cookie or the `Authorization` header (never the URL), then the
 * `Origin` (cross-site WebSocket hijacking: a browser sends the victim's cookie to any origin's
 * socket), then the person's socket cap (429). A refusal is a plain 401/403/429 response and the
 * socket is closed, never upgraded.
 */
export function realtimeRoute(context: RouteContext): Hono<HttpEnv> {
  const router = new Hono<HttpEnv>();

  router.get('/ws', async (c) => {
    const auth = currentAuth(c);
    readQuery(c, NoQuery);
    checkOrigin(c, context.allowedOrigins);
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
      throw new AppError('bad_request', 'Expected a WebSocket upgrade');
    }
    const hub = context.realtime;
    if (!hub) throw new AppError('unavailable', 'Real-time updates are not available on this server');
    if (!hub.hasRoomFor(auth.user.id)) {
      throw new AppError('rate_limited', 'Too many open connections; close another tab and retry', {
        retryAfterSeconds: RETRY_AFTER_SECONDS,
      });
    }
    const principal = { userId: auth.user.id, sessionHash: auth.session.tokenHash };
    return upgradeWebSocket(c, {
      onOpen: (_event, socket) => hub.accept(socket.raw as WebSocket, principal),
    });
  });

  return router;
}

/**
 * A browser always sends `Origin` on a WebSocket handshake; it must name this server's host or a
 * configured origin. A request without `Origin` comes from no browser (CLI, SDK, tests), and a
 * browser is the only thing that would attach a cookie on someone's behalf.
 */
function checkOrigin(c: Context<HttpEnv>, allowed: readonly string[]): void {
  const origin = c.req.header('origin');
  if (origin === undefined) return;
  if (allowed.includes(origin)) return;
  const host = c.req.header('host');
  let originHost: string | undefined;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = undefined;
  }
  if (!host || !originHost || originHost !== host.toLowerCase()) {
    throw new AppError('forbidden', 'Cross-origin WebSocket connections are refused');
  }
}
