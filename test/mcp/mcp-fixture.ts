import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Run } from '../../src/agent/types.ts';
import type { AuditRecord } from '../../src/audit/types.ts';
import type { GrantAuthority } from '../../src/delegation/types.ts';
import type { UserId } from '../../src/identity/types.ts';
import type { Message } from '../../src/threads/types.ts';
import {
  connectMcpServers,
  type McpConnection,
  type McpConnectOptions,
  type McpServerConfig,
} from '../../src/tools/mcp/index.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { askAndWait } from '../support/ask.ts';
import type { TestApp } from '../support/test-app.ts';

/** Helpers of the MCP integration tests: a JWKS endpoint, connecting servers into an app, runs. */

export const THREAD = ACME_THREAD.id;

/** Serves `grants.jwks()` at `/.well-known/jwks.json` on a loopback port (what Behalf's route serves). */
export async function serveJwks(
  grants: Pick<GrantAuthority, 'jwks'>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    if (request.url !== '/.well-known/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(grants.jwks()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Connects the servers with the app's grant authority and registers their tools. */
export async function connectInto(
  app: TestApp,
  configs: McpServerConfig[],
  options: Partial<McpConnectOptions> = {},
): Promise<McpConnection> {
  const connection = await connectMcpServers(configs, {
    grants: app.grants,
    agentId: app.agentId,
    reservedNames: app.registry.list().map((tool) => tool.name),
    ...options,
  });
  for (const tool of connection.tools) app.registry.register(tool);
  return connection;
}

/** Posts as `user` in the Acme thread (or `threadId`) and waits for the run to end. */
export async function ask(
  app: TestApp,
  user: UserId,
  text: string,
  threadId: string = THREAD,
): Promise<{ run: Run; answer: Message | undefined }> {
  return askAndWait(app, user, threadId, text);
}

/** Polls until the run reaches one of `statuses`. */
export async function waitForStatus(app: TestApp, runId: string, statuses: readonly Run['status'][]): Promise<Run> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const run = await app.store.runs.get(runId);
    if (run && statuses.includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} never reached ${statuses.join('|')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The tool-call steps of a run. */
export function toolSteps(run: Run) {
  return run.steps.flatMap((step) => (step.kind === 'tool-call' ? [step] : []));
}

/** The `tool.call` audit records of a run. */
export async function toolCallAudit(app: TestApp, runId: string): Promise<AuditRecord[]> {
  await app.audit.drain();
  return (await app.store.audit.query({ runId })).filter((record) => record.action === 'tool.call');
}

/**
 * Calls an MCP tool directly with a given Bearer token, as an attacker holding a captured token
 * would. Resolves with the result or rejects with the transport's error.
 */
export async function callWithToken(url: string, token: string, tool: string, args: Record<string, unknown> = {}) {
  const client = new Client({ name: 'attacker', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  try {
    await client.connect(transport);
    return await client.callTool({ name: tool, arguments: args });
  } finally {
    await client.close().catch(() => {});
  }
}
