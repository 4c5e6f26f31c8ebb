import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { AppError, type ErrorBody, type ErrorCode, isAppError } from '../protocol/errors.ts';

/** Told about unexpected failures (500s), which the client only sees as `internal`. */
export type UnexpectedErrorReporter = (error: unknown, request: { method: string; path: string }) => void;

/**
 * The one place errors become HTTP responses (STYLE: mapped at the edge in one place):
 * `AppError` → its code and status; zod → 400 `validation_failed`; Hono's own exceptions (body
 * limit) → their status; anything else → 500 `internal` with a generic message, reported.
 */
export function errorResponse(c: Context, error: unknown, report?: UnexpectedErrorReporter): Response {
  const appError = toAppError(error);
  if (appError.code === 'internal' && !isAppError(error)) {
    report?.(error, { method: c.req.method, path: c.req.path });
  }
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  const retryAfter = appError.data?.retryAfterSeconds;
  if (appError.code === 'rate_limited' && typeof retryAfter === 'number') headers['Retry-After'] = String(retryAfter);
  return c.json(appError.toBody() satisfies ErrorBody, appError.status as ContentfulStatusCode, headers);
}

/** Classifies any thrown value as an `AppError` without exposing internals. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof ZodError) return new AppError('validation_failed', describeZodError(error));
  if (error instanceof HTTPException) {
    const code = codeForStatus(error.status);
    return new AppError(code, code === 'internal' ? 'Internal error' : error.message || code);
  }
  return new AppError('internal', 'Internal error');
}

/** A short, input-free summary of what failed validation: `members.0: Invalid string`. */
export function describeZodError(error: ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const text = parts.join('; ') || 'Invalid request';
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 413:
      return 'payload_too_large';
    case 429:
      return 'rate_limited';
    default:
      return status >= 400 && status < 500 ? 'bad_request' : 'internal';
  }
}
