import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError } from '../protocol/errors.ts';

/**
 * Reads a JSON body and validates it. Only `application/json` is accepted: a cross-site form
 * cannot send it without a CORS preflight, which is one more guard for cookie-authenticated
 * writes. Malformed JSON is `bad_request`; a well-formed body the schema refuses is
 * `validation_failed` (thrown as a ZodError, mapped by the error handler).
 */
export async function readJsonBody<Schema extends z.ZodType>(c: Context, schema: Schema): Promise<z.output<Schema>> {
  return parseJsonBody(c, await c.req.text(), schema);
}

/** Like `readJsonBody`, for a body that may be left out: no body at all reads as `{}`. */
export async function readOptionalJsonBody<Schema extends z.ZodType>(
  c: Context,
  schema: Schema,
): Promise<z.output<Schema>> {
  const text = await c.req.text();
  return text.trim() === '' ? schema.parse({}) : parseJsonBody(c, text, schema);
}

function parseJsonBody<Schema extends z.ZodType>(c: Context, text: string, schema: Schema): z.output<Schema> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new AppError('bad_request', 'Send the body as application/json');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'The body is not valid JSON');
  }
  return schema.parse(value);
}

/** Validates path parameters. */
export function readParams<Schema extends z.ZodType>(c: Context, schema: Schema): z.output<Schema> {
  return schema.parse(c.req.param());
}

/** Validates the query string (first value of each parameter; unknown parameters are refused by strict schemas). */
export function readQuery<Schema extends z.ZodType>(c: Context, schema: Schema): z.output<Schema> {
  const query = c.req.queries();
  for (const [name, values] of Object.entries(query)) {
    if (values.length > 1) throw new AppError('bad_request', `Query parameter ${name} was given more than once`);
  }
  return schema.parse(c.req.query());
}
