import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { GrantRefusedError, ToolDeniedError } from '../tool-errors.ts';
import { ToolTimeoutError } from '../tool-gateway.ts';

/** How talking to an MCP server went wrong. */
export type McpFailureKind =
  | 'unreachable'
  | 'http_error'
  | 'invalid_response'
  | 'protocol_error'
  | 'tool_error'
  | 'cancelled';

/**
 * A failure of an MCP server (down, erroring, answering garbage, or its tool reporting an
 * error). The gateway turns it into a `failed` result for the model and an `error` audit record;
 * the run goes on. Messages name the server and never hold the grant or a person's token.
 */
export class McpConnectorError extends Error {
  constructor(
    readonly kind: McpFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'McpConnectorError';
  }
}

/** The server did not answer within its budget; the gateway reports it as `timeout`. */
export class McpTimeoutError extends ToolTimeoutError {
  constructor(server: string, timeoutMs: number) {
    super(timeoutMs);
    this.name = 'McpTimeoutError';
    this.message = `MCP server "${server}" did not answer within ${timeoutMs} ms`;
  }
}

/** What went wrong during one operation, as the operation's own deadline and signal saw it. */
export interface FailureContext {
  server: string;
  url: URL;
  timeoutMs: number;
  timedOut: boolean;
  cancelled: boolean;
}

/**
 * Translates whatever the SDK, fetch or the server threw into one clear error: a refused grant
 * (HTTP 401) is a `GrantRefusedError` and a 403 a `ToolDeniedError` (both audited as denials),
 * a blown budget an `McpTimeoutError`, anything else an `McpConnectorError` of its kind.
 */
export function mcpFailure(error: unknown, context: FailureContext): Error {
  const server = `MCP server "${context.server}"`;
  if (error instanceof McpConnectorError || error instanceof GrantRefusedError || error instanceof ToolDeniedError) {
    return error;
  }
  if (context.timedOut) return new McpTimeoutError(context.server, context.timeoutMs);
  if (context.cancelled) return new McpConnectorError('cancelled', `The call to ${server} was cancelled`);
  if (error instanceof StreamableHTTPError) {
    const detail = brief(error.message.replace(/^Streamable HTTP error: /, ''));
    if (error.code === 401) return new GrantRefusedError(`${server} refused the grant (HTTP 401: ${detail})`);
    if (error.code === 403) return new ToolDeniedError(`${server} refused the call (HTTP 403: ${detail})`);
    if (error.code === -1)
      return new McpConnectorError('invalid_response', `${server} sent a malformed response: ${detail}`);
    return new McpConnectorError('http_error', `${server} answered HTTP ${error.code}: ${detail}`);
  }
  if (error instanceof McpError) {
    return new McpConnectorError(
      'protocol_error',
      `${server} returned JSON-RPC error ${error.code}: ${brief(error.message)}`,
    );
  }
  if (isZodError(error) || error instanceof SyntaxError) {
    return new McpConnectorError(
      'invalid_response',
      `${server} sent a malformed response: ${brief(describeParseError(error))}`,
    );
  }
  const code = networkCode(error);
  if (code) return new McpConnectorError('unreachable', `${server} is unreachable at ${context.url.origin} (${code})`);
  return new McpConnectorError(
    'protocol_error',
    `${server} failed: ${brief(error instanceof Error ? error.message : String(error))}`,
  );
}

function networkCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (error.message === 'fetch failed') return typeof cause?.message === 'string' ? cause.message : 'fetch failed';
  return undefined;
}

function isZodError(error: unknown): error is { issues: Array<{ path: PropertyKey[]; message: string }> } {
  return error instanceof Error && Array.isArray((error as { issues?: unknown }).issues);
}

function describeParseError(error: unknown): string {
  if (isZodError(error)) {
    const issue = error.issues[0];
    return issue ? `${issue.path.map(String).join('.') || 'message'}: ${issue.message}` : 'unexpected shape';
  }
  return (error as Error).message;
}

// Server-controlled text: bounded, one line.
function brief(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line || 'no detail';
}
