import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../protocol/errors.ts';
import { URL_TOKEN_PARAMETERS } from '../../protocol/wire.ts';

const REFUSED: ReadonlySet<string> = new Set(URL_TOKEN_PARAMETERS);

/**
 * Refuses credentials in URLs (`?token=`, `?access_token=`, any letter case): URLs end up in
 * logs, browser history and Referer headers. The request fails before anything reads the value.
 */
export function refuseUrlTokens(): MiddlewareHandler {
  return async (c, next) => {
    if (!c.req.url.includes('?')) return next();
    for (const name of new URL(c.req.url).searchParams.keys()) {
      if (REFUSED.has(name.toLowerCase())) {
        throw new AppError(
          'bad_request',
          'Credentials are never accepted in the URL; use a header or the session cookie',
        );
      }
    }
    await next();
  };
}
