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

/** The caller's authentication, or `unauthenticated` (401). Every non-public route starts here. */
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
