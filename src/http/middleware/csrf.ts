import type { MiddlewareHandler } from 'hono';
import { csrfTokenMatches } from '../../identity/session-service.ts';
import { AppError } from '../../protocol/errors.ts';
import { CSRF_HEADER } from '../../protocol/wire.ts';
import type { HttpEnv } from '../types.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF protection (synchronizer token): a cookie-authenticated write must carry the session's
 * CSRF token in `X-CSRF-Token`. A browser attaches cookies to cross-site requests but a foreign
 * page cannot read the token. Bearer requests are exempt: nothing ambient authenticates them.
 * Runs after `authenticate`. `exempt` names requests that need no token: signing in, which never
 * acts with the cookie's session (it replaces it) and requires a JSON body, so a cross-site page
 * cannot send it without a CORS preflight.
 */
export function csrfProtection(exempt: (method: string, path: string) => boolean): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const auth = c.get('auth');
    if (auth?.via === 'cookie' && !SAFE_METHODS.has(c.req.method) && !exempt(c.req.method, c.req.path)) {
      if (!csrfTokenMatches(auth.session, c.req.header(CSRF_HEADER))) {
        throw new AppError('csrf_failed', `Missing or wrong ${CSRF_HEADER} header`);
      }
    }
    await next();
  };
}
