/**
 * The one family of unexpected failures. Every error that crosses the wire carries a stable
 * string `code` (the web UI and SDK switch on it) and maps to one HTTP status, in one place
 * (`statusOf`). Messages are for humans and never hold secrets; `data` is safe to expose.
 *
 * Expected outcomes (an authorization deny, a hidden message) are values, not exceptions.
 */
export const ERROR_CODES = {
  bad_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  policy_invalid: 500,
  audit_unavailable: 503,
  tool_failed: 502,
} as const;

/** A stable error code, shared by server, SDK and web UI. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Wire shape of every error response: `{ error: { code, message } }`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; data?: Record<string, unknown> };
}

/** Base class for unexpected failures with a stable code. */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly data?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The HTTP status this error maps to at the edge. */
  get status(): number {
    return ERROR_CODES[this.code];
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.data ? { data: this.data } : {}) } };
  }
}

/** True when `value` is an AppError (also across module copies). */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** HTTP status for an error code. */
export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code];
}
