import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Hono } from 'hono';
import { createRemoteJWKSet } from 'jose';
import { z } from 'zod';
import { createGrantVerifier } from '../../src/delegation/grant-verifier.ts';
import type { GrantClaims } from '../../src/delegation/types.ts';
import { isAppError } from '../../src/protocol/errors.ts';
import { MCP_LABELS_META_KEY, MCP_LIST_SCOPE, mcpCallScope } from '../../src/tools/mcp/index.ts';

/**
 * A real peer for the MCP connector (SPEC §11): an MCP server built with the official SDK
 * (stateless Streamable HTTP on Hono) that trusts Behalf only through its JWKS. Every HTTP
 * request must carry a Behalf grant as its Bearer token, verified with `createGrantVerifier`
 * and `createRemoteJWKSet`: issuer, `aud` = this server's resource, lifetime, and — for a
 * `tools/call` — single use of the `jti` and a scope naming that tool. Each tool call records
 * who it ran for (`sub`) and by which agent (`act.sub`).
 */

/** One tool call the server executed, as it saw it. */
export interface McpCallRecord {
  tool: string;
  args: unknown;
  claims: GrantClaims;
  /** The raw Bearer token of the request. */
  token: string;
  /** The `Behalf-Connector-Token` header, when sent. */
  connectorToken: string | null;
}

/** A request the server refused before any MCP handling. */
export interface McpRejection {
  methods: string[];
  status: number;
  reason: string;
}

/** Fault injection: the switches tests flip at run time. */
export interface TestMcpBehavior {
  /** Every tool handler waits this long first. */
  delayMs: number;
  /** How `tools/call` requests are answered instead of properly. */
  garbage: null | 'not-json' | 'wrong-shape' | 'html' | 'huge';
}

export interface TestMcpServerOptions {
  issuer: string;
  jwksUrl: string;
  /** Default: this server's own URL. */
  resource?: string;
  /** Labels put in `_meta['behalf/labels']` of `list_customers` results; null sends none. */
  customerLabels?: string[] | null;
  /** When set, tools refuse calls whose connector token is not this person's (an upstream API's check). */
  connectorTokens?: Record<string, string>;
}

export interface TestMcpServer {
  url: string;
  resource: string;
  calls: McpCallRecord[];
  rejections: McpRejection[];
  /** Every Bearer token presented, accepted or not. */
  tokens: string[];
  behavior: TestMcpBehavior;
  close(): Promise<void>;
}

/** Customers per account owner (the grant's `sub`): what `list_customers` returns. */
export const CUSTOMERS: Record<string, Array<{ id: string; name: string; region: string }>> = {
  bob: [
    { id: 'c-1', name: 'Hansa Logistik', region: 'emea' },
    { id: 'c-2', name: 'Lyon Textiles', region: 'emea' },
  ],
  gus: [{ id: 'c-3', name: 'Osaka Robotics', region: 'apac' }],
  alice: [],
};

/** Starts a server on a free loopback port. */
export async function startTestMcpServer(options: TestMcpServerOptions): Promise<TestMcpServer> {
  const calls: McpCallRecord[] = [];
  const rejections: McpRejection[] = [];
  const tokens: string[] = [];
  const behavior: TestMcpBehavior = { delayMs: 0, garbage: null };
  const verifier = createGrantVerifier({
    issuer: options.issuer,
    keySet: createRemoteJWKSet(new URL(options.jwksUrl)),
  });
  let resource = options.resource ?? '';

  const http = new Hono();
  http.all('/mcp', async (c) => {
    const request = c.req.raw;
    let body: unknown;
    if (request.method === 'POST') {
      try {
        body = await request.json();
      } catch {
        return c.json({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }, 400);
      }
    }
    const messages = (Array.isArray(body) ? body : [body]).filter(isRecord);
    const methods = messages.map((message) => String(message.method ?? 'response'));
    const refuse = (status: 401 | 403 | 503, reason: string) => {
      rejections.push({ methods, status, reason });
      const error = status === 403 ? 'insufficient_scope' : 'invalid_token';
      return c.json({ jsonrpc: '2.0', id: null, error: { code: -32001, message: `${error}: ${reason}` } }, status, {
        'WWW-Authenticate': `Bearer error="${error}"`,
      });
    };

    const token = /^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
    if (!token) return refuse(401, 'no bearer token');
    tokens.push(token);
    const toolCalls = messages.filter((message) => message.method === 'tools/call');
    let check: Awaited<ReturnType<typeof verifier.verify>>;
    try {
      // A grant is good for one tool call: its jti is spent there, not on the handshake.
      check = await verifier.verify(token, { audience: resource, preventReplay: toolCalls.length > 0 });
    } catch (error) {
      return refuse(503, isAppError(error) ? error.message : 'verification unavailable');
    }
    if (!check.ok) return refuse(401, check.reason);
    const claims = check.claims as GrantClaims;
    for (const call of toolCalls) {
      const name = isRecord(call.params) ? String(call.params.name) : '';
      if (claims.scope !== mcpCallScope(name)) return refuse(403, `scope "${claims.scope}" does not allow ${name}`);
    }
    if (claims.scope === MCP_LIST_SCOPE && methods.some((method) => !DISCOVERY_METHODS.has(method))) {
      return refuse(403, 'a discovery grant only lists tools');
    }
    if (request.method !== 'POST') return c.body(null, 405, { Allow: 'POST' });
    if (toolCalls.length > 0 && behavior.garbage) return garbage(behavior.garbage, toolCalls[0]?.id);

    const server = buildServer({
      token,
      connectorToken: request.headers.get('behalf-connector-token'),
      calls,
      behavior,
      options,
    });
    const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
    await server.connect(transport);
    try {
      return await transport.handleRequest(request, {
        parsedBody: body,
        authInfo: {
          token,
          clientId: claims.act.sub,
          scopes: claims.scope.split(' '),
          expiresAt: claims.exp,
          extra: { claims },
        },
      });
    } finally {
      await server.close();
    }
  });

  const node = createAdaptorServer({ fetch: http.fetch });
  await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(node.address() as AddressInfo).port}/mcp`;
  resource ||= url;
  return {
    url,
    resource,
    calls,
    rejections,
    tokens,
    behavior,
    close: () =>
      new Promise<void>((resolve) => {
        (node as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        node.close(() => resolve());
      }),
  };
}

const DISCOVERY_METHODS = new Set(['initialize', 'notifications/initialized', 'tools/list', 'ping']);

function buildServer(input: {
  token: string;
  connectorToken: string | null;
  calls: McpCallRecord[];
  behavior: TestMcpBehavior;
  options: TestMcpServerOptions;
}): McpServer {
  const server = new McpServer({ name: 'acme-crm', version: '1.0.0' });
  // Identity comes from the verified grant the transport hands over (`extra.authInfo`), never from arguments.
  const run = async (
    tool: string,
    args: unknown,
    authInfo: unknown,
    body: (claims: GrantClaims) => CallToolResult,
  ): Promise<CallToolResult> => {
    const claims = (authInfo as { extra: { claims: GrantClaims } }).extra.claims;
    input.calls.push({ tool, args, claims, token: input.token, connectorToken: input.connectorToken });
    if (input.behavior.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, input.behavior.delayMs));
    const expected = input.options.connectorTokens?.[claims.sub];
    if (input.options.connectorTokens && (expected === undefined || expected !== input.connectorToken)) {
      return { isError: true, content: [{ type: 'text', text: `upstream refused the token for ${claims.sub}` }] };
    }
    return body(claims);
  };
  server.registerTool(
    'whoami',
    { description: 'Who the CRM thinks is calling', annotations: { readOnlyHint: true } },
    (extra) =>
      run('whoami', {}, extra.authInfo, (claims) => {
        const { sub, act, aud, mode, thread, run: runId, scope } = claims;
        const identity = { sub, act, aud, mode, thread, run: runId, scope };
        return {
          content: [{ type: 'text', text: JSON.stringify(identity) }],
          structuredContent: identity,
          _meta: { [MCP_LABELS_META_KEY]: ['public'] },
        };
      }),
  );
  server.registerTool(
    'list_customers',
    {
      description: 'List the CRM customers you own, optionally in one region',
      inputSchema: { region: z.enum(['emea', 'apac', 'amer']).optional() },
      annotations: { readOnlyHint: true },
    },
    (args, extra) =>
      run('list_customers', args, extra.authInfo, ({ sub }) => {
        const rows = (CUSTOMERS[sub] ?? []).filter((row) => !args.region || row.region === args.region);
        const labels =
          input.options.customerLabels === undefined ? ['sales-pipeline:emea'] : input.options.customerLabels;
        return {
          content: [{ type: 'text', text: JSON.stringify({ owner: sub, rows }) }],
          ...(labels ? { _meta: { [MCP_LABELS_META_KEY]: labels } } : {}),
        };
      }),
  );
  server.registerTool(
    'update_customer',
    {
      description: 'Add a note to one of your CRM customers',
      inputSchema: { id: z.string().min(1), note: z.string().min(1).max(500) },
      annotations: { readOnlyHint: false, destructiveHint: false },
    },
    (args, extra) =>
      run('update_customer', args, extra.authInfo, ({ sub }) => ({
        content: [{ type: 'text', text: JSON.stringify({ updated: args.id, by: sub }) }],
        _meta: { [MCP_LABELS_META_KEY]: ['public'] },
      })),
  );
  server.registerTool(
    'broken_report',
    { description: 'A report whose backend is down', annotations: { readOnlyHint: true } },
    (extra) =>
      run('broken_report', {}, extra.authInfo, () => ({
        isError: true,
        content: [{ type: 'text', text: 'the reporting database is on fire' }],
      })),
  );
  return server;
}

function garbage(kind: NonNullable<TestMcpBehavior['garbage']>, id: unknown): Response {
  switch (kind) {
    case 'not-json':
      return new Response('{"jsonrpc": "2.0", "result": ', { headers: { 'content-type': 'application/json' } });
    case 'wrong-shape':
      return Response.json({ jsonrpc: '2.0', id, result: { content: 'not a list', isError: 'maybe' } });
    case 'html':
      return new Response('<html><body>502 Bad Gateway</body></html>', { headers: { 'content-type': 'text/html' } });
    case 'huge':
      return Response.json({
        jsonrpc: '2.0',
        id,
        result: { content: [{ type: 'text', text: 'x'.repeat(6 * 1024 * 1024) }] },
      });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
