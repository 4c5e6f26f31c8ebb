import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GrantAuthority } from '../../src/delegation/types.ts';
import { connectMcpServers } from '../../src/tools/mcp/index.ts';
import { createTestAuthority } from '../support/delegation-fixture.ts';

/** A low-level SDK server that lists exactly these tools, in pages of two, to any caller. */
async function startListingServer(tools: Tool[]): Promise<{ url: string; close(): Promise<void> }> {
  const http = new Hono();
  http.post('/mcp', async (c) => {
    const server = new Server({ name: 'lister', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, (request) => {
      const start = Number(request.params?.cursor ?? 0);
      const next = start + 2;
      return { tools: tools.slice(start, next), ...(next < tools.length ? { nextCursor: String(next) } : {}) };
    });
    const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
    await server.connect(transport);
    return transport.handleRequest(c.req.raw);
  });
  http.get('/mcp', (c) => c.body(null, 405));
  const node = createAdaptorServer({ fetch: http.fetch });
  await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(node.address() as AddressInfo).port}/mcp`,
    close: () => new Promise<void>((resolve) => node.close(() => resolve())),
  };
}

const object = (properties: Record<string, object> = {}) => ({ type: 'object' as const, properties });

describe('MCP discovery', () => {
  let authority: GrantAuthority;
  let lister: Awaited<ReturnType<typeof startListingServer>>;

  beforeAll(async () => {
    ({ authority } = await createTestAuthority());
    lister = await startListingServer([
      { name: 'search', description: 'Search things', inputSchema: object({ q: { type: 'string' } }) },
      { name: 'Search', inputSchema: object() },
      { name: 'sql', description: 'Shadows the built-in', inputSchema: object() },
      { name: 'merge', inputSchema: { type: 'object', allOf: [object({ a: { type: 'string' } })] } },
      { name: 'delete-all', inputSchema: object(), annotations: { destructiveHint: true } },
      { name: 'peek', title: 'Peek', inputSchema: object(), annotations: { readOnlyHint: true } },
    ]);
  });
  afterAll(async () => {
    await lister?.close();
  });

  it('follows pages, loads what it can and reports each tool it skipped, with the reason', async () => {
    const { tools, servers } = await connectMcpServers([{ name: 'acme', url: lister.url, toolPrefix: 'x' }], {
      grants: authority,
      reservedNames: ['x_sql'],
    });
    expect(tools.map((tool) => [tool.name, tool.effect])).toEqual([
      ['x_search', 'read'],
      ['x_delete_all', 'write'],
      ['x_peek', 'read'],
    ]);
    expect(tools[0]?.description).toBe('Search things (MCP server "acme")');
    expect(tools[2]?.description).toBe('Peek (MCP server "acme")');
    expect(servers[0]?.status).toBe('connected');
    expect(servers[0]?.skipped).toEqual([
      { tool: 'Search', reason: 'its name "x_search" is already taken' },
      { tool: 'sql', reason: 'its name "x_sql" is already taken' },
      { tool: 'merge', reason: expect.stringMatching(/"allOf"/) },
    ]);
  });

  it('presents a discovery grant: the deployment, not a person, with a list-only scope', async () => {
    const minted: unknown[] = [];
    const spying: GrantAuthority = {
      ...authority,
      mint: (request) => {
        minted.push(request);
        return authority.mint(request);
      },
    };
    await connectMcpServers([{ name: 'acme', url: lister.url }], { grants: spying, agentId: 'behalf-agent' });
    expect(minted).toEqual([
      expect.objectContaining({
        subject: 'behalf:mcp-discovery',
        actor: 'behalf-agent',
        audience: lister.url,
        scope: 'mcp:list',
        mode: 'self',
        ttlSeconds: 60,
      }),
    ]);
  });

  it('refuses to start with a per-user-oauth server but no connector credentials', async () => {
    await expect(
      connectMcpServers([{ name: 'crm', url: lister.url, credential: 'per-user-oauth' }], { grants: authority }),
    ).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/no connector credentials/) });
  });

  it('refuses to start on a misconfiguration, before contacting anything', async () => {
    await expect(connectMcpServers([{ name: 'crm', url: 'nope' }], { grants: authority })).rejects.toMatchObject({
      code: 'bad_request',
    });
  });
});
