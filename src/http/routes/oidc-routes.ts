import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { OIDC_LOGIN_PATH, type OidcLogin } from '../../identity/oidc/oidc-login.ts';
import { hashSessionToken } from '../../identity/session-service.ts';
import { AppError } from '../../protocol/errors.ts';
import type { OidcLoginErrorCode } from '../../protocol/login-errors.ts';
import { type AuthConfigResponse, SESSION_COOKIE } from '../../protocol/wire.ts';
import { presentedToken } from '../middleware/authenticate.ts';
import type { RouteContext } from '../route-context.ts';
import type { HttpEnv } from '../types.ts';
import { startSession } from './session-routes.ts';

/** Cookie holding the sealed login transaction between `/login` and `/callback`. */
export const OIDC_TRANSACTION_COOKIE = 'behalf_oidc_login';
const TRANSACTION_COOKIE_PATH = '/api/auth/oidc';

/**
 * OIDC login routes (mounted under `/api`): `GET /auth/config` tells the web UI which sign-in
 * to show; `GET /auth/oidc/login` redirects to the provider; `GET /auth/oidc/callback` finishes
 * the login into a session exactly like dev login (new token, HttpOnly cookie, CSRF token) and
 * redirects to `/`, or to `/?login_error=<code>` without any session; `GET /auth/oidc/logout`
 * ends the session and redirects to the provider's end-session URL. The OIDC routes answer 404
 * when OIDC is not configured.
 */
export function oidcRoutes(context: RouteContext): Hono<HttpEnv> {
  const router = new Hono<HttpEnv>();

  router.get('/auth/config', (c) => {
    const { oidc } = context;
    const response: AuthConfigResponse = {
      devLogin: context.devLogin,
      oidc: oidc ? { loginUrl: OIDC_LOGIN_PATH, issuer: oidc.issuer } : null,
    };
    return c.json(response);
  });

  router.get('/auth/oidc/login', async (c) => {
    const oidc = requireOidc(context);
    let started: Awaited<ReturnType<OidcLogin['begin']>>;
    try {
      started = await oidc.begin();
    } catch {
      return refused(c, 'provider_unreachable');
    }
    setCookie(c, OIDC_TRANSACTION_COOKIE, started.sealedTransaction, {
      httpOnly: true,
      // Lax: the provider's redirect back is a top-level GET navigation, which carries it.
      sameSite: 'Lax',
      secure: secure(c, context),
      path: TRANSACTION_COOKIE_PATH,
      maxAge: started.maxAgeSeconds,
    });
    return c.redirect(started.url.href, 302);
  });

  router.get('/auth/oidc/callback', async (c) => {
    const oidc = requireOidc(context);
    const sealed = getCookie(c, OIDC_TRANSACTION_COOKIE);
    // One transaction, one attempt: the cookie goes whatever the outcome.
    deleteCookie(c, OIDC_TRANSACTION_COOKIE, { path: TRANSACTION_COOKIE_PATH, secure: secure(c, context) });
    const finished = await oidc.finish(new URL(c.req.url).search, sealed).catch(() => null);
    if (!finished) return refused(c, 'login_failed');
    if (!finished.ok) return refused(c, finished.code);
    await startSession(c, context, finished.user.id);
    return c.redirect('/', 302);
  });

  router.get('/auth/oidc/logout', async (c) => {
    const oidc = requireOidc(context);
    // Logout by GET (a link the provider or a bookmark can use) may be triggered cross-site; all
    // it can do is end the caller's own session, which is accepted.
    const token = presentedToken(c);
    if (token) {
      await context.sessions.revoke(token);
      context.realtime?.closeSession(hashSessionToken(token));
    }
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect((await oidc.endSessionUrl()) ?? '/', 302);
  });

  return router;
}

function requireOidc(context: RouteContext): OidcLogin {
  if (!context.oidc) throw new AppError('not_found', 'OpenID Connect login is not configured on this deployment');
  return context.oidc;
}

function refused(c: Context<HttpEnv>, code: OidcLoginErrorCode): Response {
  return c.redirect(`/?login_error=${code}`, 302);
}

function secure(c: Context<HttpEnv>, context: RouteContext): boolean {
  return context.secureCookies ?? new URL(c.req.url).protocol === 'https:';
}
