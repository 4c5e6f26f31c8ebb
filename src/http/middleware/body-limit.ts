import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../protocol/errors.ts';

/**
 * Refuses request bodies over `maxBytes` with 413. A declared `Content-Length` is checked from
 * the header alone (the HTTP parser guarantees the body is no longer), which keeps the Node
 * adapter's fast path: the body is later read straight from the socket. A body without a length
 * (chunked) is counted while it streams, by Hono's body-limit middleware.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  const tooLarge = () => {
    throw new AppError('payload_too_large', `Request bodies are limited to ${maxBytes} bytes`);
  };
  const streaming = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (!/^\d+$/.test(length) || Number(length) > maxBytes) tooLarge();
      return next();
    }
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return streaming(c, next);
  };
}
