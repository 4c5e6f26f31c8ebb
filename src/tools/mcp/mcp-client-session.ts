import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { McpConnectorError, mcpFailure } from './mcp-errors.ts';
import type { ResolvedMcpServer } from './types.ts';

/** Default cap on one response body from an MCP server. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** How one operation reaches its server. */
export interface McpSessionOptions {
  /** Sent with every HTTP request of the session: the grant's `Authorization`, maybe a person's token. */
  headers: Record<string, string>;
  /** The run's signal: cancelling the run aborts the call. */
  signal?: AbortSignal;
  fetch?: FetchLike;
  maxResponseBytes?: number;
}

/**
 * Runs one operation in its own short MCP session (connect, operate, close) with the given
 * headers. A session per call keeps every HTTP request of it under that call's grant alone — no
 * connection is ever shared between two people's calls — and lets a stateless server verify
 * each request by itself. The whole operation has the server's `timeoutMs`; any failure comes
 * out as one clear error (`mcpFailure`).
 */
export async function withMcpSession<T>(
  server: ResolvedMcpServer,
  options: McpSessionOptions,
  operate: (client: Client, requestOptions: RequestOptions) => Promise<T>,
): Promise<T> {
  const deadline = new AbortController();
  const state = {
    server: server.name,
    url: server.url,
    timeoutMs: server.timeoutMs,
    timedOut: false,
    cancelled: false,
  };
  const timer = setTimeout(() => {
    state.timedOut = true;
    deadline.abort();
  }, server.timeoutMs);
  const onCancel = () => {
    state.cancelled = true;
    deadline.abort();
  };
  options.signal?.addEventListener('abort', onCancel, { once: true });
  if (options.signal?.aborted) onCancel();

  const transport = new StreamableHTTPClientTransport(server.url, {
    requestInit: { headers: options.headers, redirect: 'error' },
    fetch: boundedFetch(
      options.fetch ?? fetch,
      deadline.signal,
      options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      server.name,
    ),
    reconnectionOptions: {
      maxRetries: 0,
      initialReconnectionDelay: 1000,
      maxReconnectionDelay: 1000,
      reconnectionDelayGrowFactor: 1,
    },
  });
  const client = new Client({ name: 'behalf', version: '0.1.0' }, { capabilities: {} });
  const requestOptions: RequestOptions = { signal: deadline.signal, timeout: server.timeoutMs };
  try {
    if (deadline.signal.aborted) throw new Error('aborted before start');
    await client.connect(transport, requestOptions);
    return await operate(client, requestOptions);
  } catch (error) {
    throw mcpFailure(error, state);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCancel);
    await client.close().catch(() => {});
  }
}

/** `fetch` bound to the operation's deadline, refusing bodies over `maxBytes` (a hostile server's flood). */
function boundedFetch(base: FetchLike, deadline: AbortSignal, maxBytes: number, server: string): FetchLike {
  return async (url, init) => {
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    const response = await base(url, { ...init, signal });
    if (!response.body || [101, 204, 205, 304].includes(response.status)) return response;
    let seen = 0;
    const limited = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > maxBytes) {
            controller.error(
              new McpConnectorError('invalid_response', `MCP server "${server}" sent more than ${maxBytes} bytes`),
            );
          } else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(limited, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
