import { type Context, Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { hashSessionToken, type IssuedSession } from '../../identity/session-service.ts';
import type { UserId } from '../../identity/types.ts';
import { AppError } from '../../protocol/errors.ts';
import {
  CreateSessionBody,
  type DevUsersResponse,
  type LogoutResponse,
  type MeResponse,
  SESSION_COOKIE,
  type SessionResponse,
} from '../../protocol/wire.ts';
import { canReadAudit } from '../audit-access.ts';
import { currentAuth, presentedToken } from '../middleware/authenticate.ts';
import { readJsonBody } from '../request-validation.ts';
import type { RouteContext } from '../route-context.ts';
import type { HttpEnv } from '../types.ts';
import { toUserWire } from '../wire-mappers.ts';

/**
 * Sessions: dev login, who am I, logout. Dev login exists only on the embedded default (no OIDC
 * configured); when it is off its routes answer 404, as if they did not exist.
 */
export function sessionRoutes(context: RouteContext): Hono<HttpEnv> {
  const router = new Hono<HttpEnv>();
  const { app } = context;

  router.post('/session', async (c) => {
    requireDevLogin(context);
    const body = await readJsonBody(c, CreateSessionBody);
    const issued = await startSession(c, context, body.user);
    const response: SessionResponse = {
      user: toUserWire(issued.user),
      token: issued.token,
      csrfToken: issued.session.csrfToken,
    };
    return c.json(response);
  });

  router.get('/session/dev-users', async (c) => {
    requireDevLogin(context);
    const response: DevUsersResponse = { users: (await app.people.list()).map(toUserWire) };
    return c.json(response);
  });

  router.get('/me', async (c) => {
    const auth = currentAuth(c);
    const response: MeResponse = {
      user: toUserWire(auth.user),
      csrfToken: auth.via === 'cookie' ? auth.session.csrfToken : null,
      canReadAudit: await canReadAudit(app, auth.user.id),
    };
    return c.json(response);
  });

  router.delete('/session', async (c) => {
    const auth = currentAuth(c);
    await context.sessions.end(auth.session.tokenHash);
    context.realtime?.closeSession(auth.session.tokenHash);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    const endSessionUrl = await context.oidc?.endSessionUrl();
    if (endSessionUrl) return c.json({ endSessionUrl } satisfies LogoutResponse);
    return c.body(null, 204);
  });

  return router;
}

/**
 * Starts a session for a signed-in person (dev login, OIDC callback): a new token in an HttpOnly
 * cookie. Session fixation: whatever token came in is ended, never adopted.
 */
export async function startSession(c: Context<HttpEnv>, context: RouteContext, userId: UserId): Promise<IssuedSession> {
  const previous = presentedToken(c);
  if (previous) {
    await context.sessions.revoke(previous);
    context.realtime?.closeSession(hashSessionToken(previous));
  }
  const issued = await context.sessions.issue(userId);
  setCookie(c, SESSION_COOKIE, issued.token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: context.secureCookies ?? new URL(c.req.url).protocol === 'https:',
    path: '/',
    maxAge: context.sessionTtlSeconds,
  });
  return issued;
}

function requireDevLogin(context: RouteContext): void {
  if (context.devLogin) return;
  throw new AppError(
    'not_found',
    context.oidc
      ? `Dev login is off: this deployment signs in with OpenID Connect (${context.oidc.issuer}) at /api/auth/oidc/login`
      : 'Dev login is off on this deployment',
  );
}
