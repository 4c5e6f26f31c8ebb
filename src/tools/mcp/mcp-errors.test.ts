import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { GrantRefusedError, ToolDeniedError } from '../tool-errors.ts';
import { ToolTimeoutError } from '../tool-gateway.ts';
import { McpConnectorError, mcpFailure } from './mcp-errors.ts';

const context = {
  server: 'crm',
  url: new URL('http://127.0.0.1:9/mcp'),
  timeoutMs: 900,
  timedOut: false,
  cancelled: false,
};

describe('MCP failures, translated', () => {
  it('a refused grant (401) is a grant refusal; a 403 a denial; other statuses an HTTP error', () => {
    expect(
      mcpFailure(new StreamableHTTPError(401, 'Error POSTing to endpoint: invalid_token: replayed'), context),
    ).toBeInstanceOf(GrantRefusedError);
    expect(mcpFailure(new StreamableHTTPError(403, 'nope'), context)).toBeInstanceOf(ToolDeniedError);
    expect(mcpFailure(new StreamableHTTPError(500, 'kaput'), context)).toMatchObject({
      kind: 'http_error',
      message: 'MCP server "crm" answered HTTP 500: kaput',
    });
  });

  it('its own deadline is a timeout the gateway reports as such, whatever the SDK threw', () => {
    const error = mcpFailure(new McpError(ErrorCode.RequestTimeout, 'aborted'), { ...context, timedOut: true });
    expect(error).toBeInstanceOf(ToolTimeoutError);
    expect(error.message).toBe('MCP server "crm" did not answer within 900 ms');
  });

  it('a cancelled run is reported as cancelled, not as a server fault', () => {
    expect(mcpFailure(new Error('AbortError'), { ...context, cancelled: true })).toMatchObject({ kind: 'cancelled' });
  });

  it('a refused connection names the server, its origin and the cause', () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    });
    expect(mcpFailure(refused, context).message).toBe(
      'MCP server "crm" is unreachable at http://127.0.0.1:9 (ECONNREFUSED)',
    );
  });

  it('garbage is a malformed response, with the first problem found', () => {
    const zodError = z.object({ content: z.array(z.string()) }).safeParse({ content: 'x' }).error;
    expect(mcpFailure(zodError, context)).toMatchObject({
      kind: 'invalid_response',
      message: expect.stringMatching(/^MCP server "crm" sent a malformed response: content: /),
    });
    expect(mcpFailure(new SyntaxError('Unexpected end of JSON input'), context).message).toMatch(
      /malformed response: Unexpected end/,
    );
    expect(mcpFailure(new StreamableHTTPError(-1, 'Unexpected content type: text/html'), context)).toMatchObject({
      kind: 'invalid_response',
    });
  });

  it('a JSON-RPC error from the server keeps its code; server text is bounded to one line', () => {
    const error = mcpFailure(new McpError(-32602, `bad\nparams ${'x'.repeat(500)}`), context);
    expect(error).toMatchObject({ kind: 'protocol_error' });
    expect(error.message).toMatch(
      /^MCP server "crm" returned JSON-RPC error -32602: MCP error -32602: bad params x+…$/,
    );
    expect(error.message.length).toBeLessThan(300);
  });

  it('passes its own errors through unchanged', () => {
    const own = new McpConnectorError('tool_error', 'x');
    expect(mcpFailure(own, context)).toBe(own);
  });
});
