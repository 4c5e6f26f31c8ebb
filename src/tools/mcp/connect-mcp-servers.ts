import { randomUUID } from 'node:crypto';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { AppError } from '../../protocol/errors.ts';
import type { ToolDefinition } from '../types.ts';
import { inputSchemaFromJsonSchema } from './json-schema-input.ts';
import { withMcpSession } from './mcp-client-session.ts';
import { resolveMcpServers } from './mcp-server-config.ts';
import { mcpToolDefinition } from './mcp-tool.ts';
import { mcpToolName } from './mcp-tool-name.ts';
import type { McpConnection, McpConnectOptions, McpServerConfig, McpServerReport, ResolvedMcpServer } from './types.ts';

/** `sub` of discovery grants: the deployment listing tools, not a person. */
export const DISCOVERY_SUBJECT = 'behalf:mcp-discovery';
/** Scope of discovery grants: `initialize` and `tools/list` only — a server must refuse them for `tools/call`. */
export const MCP_LIST_SCOPE = 'mcp:list';

const MAX_PAGES = 20;

/**
 * Lists the tools of each configured MCP server (`tools/list`, official client SDK) and wraps
 * them as gateway tools. Servers are asked concurrently, each within its `timeoutMs`. Discovery
 * presents a short-lived grant with `sub` = `behalf:mcp-discovery` and scope `mcp:list`, which
 * confers no tool call.
 *
 * A misconfiguration throws `AppError` `bad_request` (the deployment should not start); a server
 * that is down, refuses discovery or answers garbage is reported `failed` and its tools are
 * simply absent, while the others load.
 */
export async function connectMcpServers(
  configs: readonly McpServerConfig[] | readonly ResolvedMcpServer[],
  options: McpConnectOptions,
): Promise<McpConnection> {
  const servers = configs.every(isResolved) ? [...configs] : resolveMcpServers(configs);
  const perUser = servers.find((server) => server.credential === 'per-user-oauth');
  if (perUser && !options.credentials) {
    throw new AppError(
      'bad_request',
      `Invalid MCP configuration: MCP server "${perUser.name}" uses per-user-oauth, but no connector credentials are configured.`,
    );
  }
  const discovered = await Promise.all(servers.map((server) => discover(server, options)));
  const taken = new Set(options.reservedNames ?? []);
  const tools: ToolDefinition[] = [];
  const reports: McpServerReport[] = [];
  for (const [index, server] of servers.entries()) {
    const outcome = discovered[index] as Awaited<ReturnType<typeof discover>>;
    const report: McpServerReport = {
      name: server.name,
      url: server.url.href,
      resource: server.resource,
      credential: server.credential,
      status: outcome.ok ? 'connected' : 'failed',
      tools: [],
      skipped: [],
      ...(outcome.ok ? {} : { error: outcome.error }),
    };
    for (const tool of outcome.ok ? outcome.tools : []) {
      const name = mcpToolName(server.toolPrefix, tool.name);
      if (taken.has(name)) {
        report.skipped.push({ tool: tool.name, reason: `its name "${name}" is already taken` });
        continue;
      }
      const input = inputSchemaFromJsonSchema(tool.inputSchema);
      if (!input.ok) {
        report.skipped.push({ tool: tool.name, reason: input.reason });
        continue;
      }
      taken.add(name);
      tools.push(mcpToolDefinition(server, tool, name, input.schema, options));
      report.tools.push(name);
    }
    reports.push(report);
  }
  return { tools, servers: reports };
}

async function discover(
  server: ResolvedMcpServer,
  options: McpConnectOptions,
): Promise<{ ok: true; tools: Tool[] } | { ok: false; error: string }> {
  try {
    const grant = options.grants.mint({
      subject: DISCOVERY_SUBJECT,
      actor: options.agentId ?? 'behalf-agent',
      audience: server.resource,
      scope: MCP_LIST_SCOPE,
      threadId: 'mcp-discovery',
      runId: `mcp-discovery:${randomUUID()}`,
      mode: 'self',
      ttlSeconds: 60,
    });
    const headers = { Authorization: `Bearer ${await options.grants.sign(grant)}` };
    const tools = await withMcpSession(
      server,
      { headers, fetch: options.fetch, maxResponseBytes: options.maxResponseBytes },
      async (client, requestOptions) => {
        const listed: Tool[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < MAX_PAGES; page += 1) {
          const result = await client.listTools(cursor === undefined ? undefined : { cursor }, requestOptions);
          listed.push(...result.tools);
          cursor = result.nextCursor;
          if (cursor === undefined) break;
        }
        return listed;
      },
    );
    return { ok: true, tools };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function isResolved(config: McpServerConfig | ResolvedMcpServer): config is ResolvedMcpServer {
  return config.url instanceof URL;
}
