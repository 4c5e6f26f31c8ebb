import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { SessionService } from '../../identity/session-service.ts';
import { AppError } from '../../protocol/errors.ts';
import { SESSION_COOKIE } from '../../protocol/wire.ts';
import type { HttpEnv, RequestAuth } from '../types.ts';

/**
 * Resolves who is calling: `Authorization: Bearer <token>` when the header is present (a bad
 * one is 401, never a fallback to the cookie), else the session cookie (an unknown or expired
 * cookie is simply anonymous). Routes then ask for the user with {@link currentAuth}.
 */
export function authenticate(sessions: SessionService): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    c.set('auth', await resolveAuth(c, sessions));
    await next();
  };
}

async function resolveAuth(c: Context<HttpEnv>, sessions: SessionService): Promise<RequestAuth | undefined> {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const match = /^Bearer ([^\s]+)$/i.exec(header.trim());
    if (!match?.[1]) throw new AppError('unauthenticated', 'Use Authorization: Bearer <token>');
    const found = await sessions.authenticate(match[1]);
    if (!found) throw new AppError('unauthenticated', 'The token is invalid or expired');
    return { ...found, via: 'bearer' };
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  if (!cookie) return undefined;
  const found = await sessions.authenticate(cookie);
  return found && { ...found, via: 'cookie' };
}

/**
 * Authentication closed by default: an anonymous request reaches only a route `isPublic` names;
 * every other `/api` route answers 401 before its handler runs, whatever the handler does.
 */
export function requireSignedIn(isPublic: (method: string, path: string) => boolean): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    if (!c.get('auth') && !isPublic(c.req.method, c.req.path)) {
      throw new AppError('unauthenticated', 'Sign in first');
    }
    await next();
  };
}

/** The caller's authentication (guaranteed by `requireSignedIn` on every non-public route). */
export function currentAuth(c: Context<HttpEnv>): RequestAuth {
  const auth = c.get('auth');
  if (!auth) throw new AppError('unauthenticated', 'Sign in first');
  return auth;
}

/** The session token the request carries (for logout and for replacing it at login). */
export function presentedToken(c: Context<HttpEnv>): string | undefined {
  const header = c.req.header('authorization');
  const match = header ? /^Bearer ([^\s]+)$/i.exec(header.trim()) : null;
  return match?.[1] ?? getCookie(c, SESSION_COOKIE);
}
