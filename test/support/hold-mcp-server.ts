import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Hono } from 'hono';
import { decodeJwt } from 'jose';
import { z } from 'zod';

/**
 * An MCP server (official SDK, stateless Streamable HTTP) whose tools block until the test
 * releases them: it makes "a process dies while a tool call is executing" deterministic. Every
 * call is recorded as it arrives, before blocking, so a test can tell how many times a call
 * really executed. Grants are decoded, not verified: grant verification is `test/mcp`'s subject.
 *
 * Tools: `hold {key}` (read-only; blocks until `release(key)`), `hold_write {key}` (a write, so
 * the agent asks its requester's approval first; blocks like `hold`), `ping` (answers at once).
 */
export interface HoldMcpServer {
  /** The `/mcp` endpoint. */
  url: string;
  /** Each tool call received, in order. */
  calls: HoldMcpCall[];
  /** Resolves with the first call of `key` (already received or to come). */
  waitForCall(key: string, timeoutMs?: number): Promise<HoldMcpCall>;
  /** Lets every current and future call of `key` answer. */
  release(key: string): void;
  /** Calls of `key` received so far. */
  callsOf(key: string): HoldMcpCall[];
  close(): Promise<void>;
}

/** One tool call as the server saw it. */
export interface HoldMcpCall {
  tool: string;
  key: string;
  /** `sub` (the requester) and `run` of the grant the call presented. */
  subject: string;
  runId: string;
  at: number;
}

/** The `BEHALF_MCP_SERVERS` value naming this server (tools `<prefix>_hold`, `<prefix>_hold_write`, `<prefix>_ping`). */
export function holdServerConfig(server: Pick<HoldMcpServer, 'url'>, prefix = 'crm'): string {
  return JSON.stringify([{ name: 'hold', url: server.url, toolPrefix: prefix, defaultLabels: ['public'] }]);
}

/** Starts the server on a free loopback port. */
export async function startHoldMcpServer(): Promise<HoldMcpServer> {
  const calls: HoldMcpCall[] = [];
  const released = new Set<string>();
  const blocked = new Map<string, Array<() => void>>();
  const arrivals: Array<() => void> = [];

  const hold = async (tool: string, key: string, authInfo: unknown): Promise<CallToolResult> => {
    const claims = decodeJwt((authInfo as { token: string }).token);
    calls.push({ tool, key, subject: String(claims.sub), runId: String(claims.run), at: Date.now() });
    for (const wake of arrivals.splice(0)) wake();
    if (!released.has(key)) {
      await new Promise<void>((resolve) => blocked.set(key, [...(blocked.get(key) ?? []), resolve]));
    }
    return { content: [{ type: 'text', text: JSON.stringify({ released: key }) }] };
  };
  const buildServer = () => {
    const server = new McpServer({ name: 'hold', version: '1.0.0' });
    const input = { key: z.string().min(1).max(100) };
    server.registerTool(
      'hold',
      { description: 'Hold a slot until released', inputSchema: input, annotations: { readOnlyHint: true } },
      ({ key }, extra) => hold('hold', key, extra.authInfo),
    );
    server.registerTool(
      'hold_write',
      { description: 'Write a held note until released', inputSchema: input, annotations: { readOnlyHint: false } },
      ({ key }, extra) => hold('hold_write', key, extra.authInfo),
    );
    server.registerTool('ping', { description: 'Answer pong', annotations: { readOnlyHint: true } }, () => ({
      content: [{ type: 'text', text: 'pong' }],
    }));
    return server;
  };

  const http = new Hono();
  http.post('/mcp', async (c) => {
    const token = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    if (!token) return c.json({ error: 'no bearer token' }, 401);
    const server = buildServer();
    const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw, { authInfo: { token, clientId: 'behalf', scopes: [] } });
    } finally {
      await server.close();
    }
  });
  const node = createAdaptorServer({ fetch: http.fetch });
  await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
  const callsOf = (key: string) => calls.filter((call) => call.key === key);
  const release = (key: string) => {
    released.add(key);
    for (const wake of blocked.get(key) ?? []) wake();
    blocked.delete(key);
  };
  return {
    url: `http://127.0.0.1:${(node.address() as AddressInfo).port}/mcp`,
    calls,
    callsOf,
    async waitForCall(key, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = callsOf(key)[0];
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`the MCP server never received a call of "${key}"`);
        await new Promise<void>((resolve) => {
          arrivals.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    release,
    close() {
      for (const key of [...blocked.keys()]) release(key);
      return new Promise<void>((resolve) => {
        (node as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        node.close(() => resolve());
      });
    },
  };
}
