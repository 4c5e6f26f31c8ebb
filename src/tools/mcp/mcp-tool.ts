import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { ConnectorCredentials } from '../../delegation/connector-credentials.ts';
import { isAppError } from '../../protocol/errors.ts';
import { requireGrant } from '../grant-guard.ts';
import { ToolDeniedError } from '../tool-errors.ts';
import type { ToolContext, ToolDefinition } from '../types.ts';
import { withMcpSession } from './mcp-client-session.ts';
import { toolOutputOf } from './mcp-result.ts';
import type { McpGrantAuthority, ResolvedMcpServer } from './types.ts';

/** Grant scope of a call to one MCP tool: the grant is good for that tool only. */
export function mcpCallScope(tool: string): string {
  return `mcp:call:${tool}`;
}

/** What a wrapped MCP tool needs at call time. */
export interface McpToolDeps {
  grants: McpGrantAuthority;
  credentials?: ConnectorCredentials | undefined;
  fetch?: FetchLike | undefined;
  maxResponseBytes?: number | undefined;
}

const MAX_DESCRIPTION = 1000;

/**
 * One MCP tool as a Behalf `ToolDefinition`. The gateway validates, authorizes and mints the
 * grant as for any tool; `execute` then checks that grant (I2), signs it and calls the tool in
 * a session whose every request carries `Authorization: Bearer <signed grant>` — `aud` the
 * server's resource, `sub` the requester, `act.sub` the agent; never a session token. For a
 * `per-user-oauth` server it adds the requester's own token, looked up through the grant.
 */
export function mcpToolDefinition(
  server: ResolvedMcpServer,
  tool: Tool,
  registryName: string,
  inputSchema: z.ZodType,
  deps: McpToolDeps,
): ToolDefinition {
  const description = (tool.description ?? tool.annotations?.title ?? tool.title ?? tool.name).slice(
    0,
    MAX_DESCRIPTION,
  );
  return {
    name: registryName,
    description: `${description} (MCP server "${server.name}")`,
    inputSchema,
    effect: effectOf(tool, server.unannotatedEffect),
    audience: server.resource,
    scope: mcpCallScope(tool.name),
    async execute(input, context) {
      const { principal } = requireGrant(deps.grants, context, server.resource);
      const headers: Record<string, string> = { Authorization: `Bearer ${await deps.grants.sign(context.grant)}` };
      if (server.credential === 'per-user-oauth') {
        headers[server.credentialHeader] = await personalToken(server, context, principal.requester, deps.credentials);
      }
      const result = await withMcpSession(
        server,
        { headers, signal: context.signal, fetch: deps.fetch, maxResponseBytes: deps.maxResponseBytes },
        (client, options) =>
          client.callTool({ name: tool.name, arguments: (input ?? {}) as Record<string, unknown> }, undefined, options),
      );
      return toolOutputOf(server, tool.name, result as Parameters<typeof toolOutputOf>[2], context.willRead);
    },
  };
}

/**
 * `write` when the server says the tool is not read-only or is destructive (then the requester
 * approves each agent call, I7); `read` when it says read-only; else the server's default.
 */
export function effectOf(tool: Pick<Tool, 'annotations'>, unannotated: 'read' | 'write'): 'read' | 'write' {
  const hints = tool.annotations;
  if (hints?.readOnlyHint === false || hints?.destructiveHint === true) return 'write';
  if (hints?.readOnlyHint === true) return 'read';
  return unannotated;
}

async function personalToken(
  server: ResolvedMcpServer,
  context: ToolContext,
  requester: string,
  credentials: ConnectorCredentials | undefined,
): Promise<string> {
  if (!credentials) throw new ToolDeniedError(`No connector credentials are configured for "${server.name}"`);
  let token: Awaited<ReturnType<ConnectorCredentials['forGrant']>>;
  try {
    token = await credentials.forGrant(context.grant);
  } catch (error) {
    if (isAppError(error) && error.code === 'forbidden') throw new ToolDeniedError(error.message);
    throw error;
  }
  if (!token) {
    throw new ToolDeniedError(
      `${requester} has not connected their "${server.name}" account (or its token expired); connect it, then ask again`,
    );
  }
  return token.accessToken;
}
