import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { hashSessionToken } from '../../identity/session-service.ts';
import { AppError } from '../../protocol/errors.ts';
import {
  CreateSessionBody,
  type DevUsersResponse,
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
  const { app, sessions } = context;

  router.post('/session', async (c) => {
    if (!context.devLogin) throw new AppError('not_found', 'Dev login is off on this deployment');
    const body = await readJsonBody(c, CreateSessionBody);
    // Session fixation: whatever token came in is ended, never adopted; the login gets a new one.
    const previous = presentedToken(c);
    if (previous) {
      await sessions.revoke(previous);
      context.realtime?.closeSession(hashSessionToken(previous));
    }
    const issued = await sessions.issue(body.user);
    setCookie(c, SESSION_COOKIE, issued.token, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: context.secureCookies ?? new URL(c.req.url).protocol === 'https:',
      path: '/',
      maxAge: context.sessionTtlSeconds,
    });
    const response: SessionResponse = {
      user: toUserWire(issued.user),
      token: issued.token,
      csrfToken: issued.session.csrfToken,
    };
    return c.json(response);
  });

  router.get('/session/dev-users', async (c) => {
    if (!context.devLogin) throw new AppError('not_found', 'Dev login is off on this deployment');
    const response: DevUsersResponse = { users: (await app.store.users.list()).map(toUserWire) };
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
    await app.store.sessions.delete(auth.session.tokenHash);
    context.realtime?.closeSession(auth.session.tokenHash);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  return router;
}
