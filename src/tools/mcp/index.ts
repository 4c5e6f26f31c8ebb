/**
 * MCP tools behind the gateway (issue 4 point 6). The composition root reads the server list
 * (`mcpServersFromEnv(process.env.BEHALF_MCP_SERVERS)`), calls `connectMcpServers` once the grant
 * authority exists, registers the returned tools and logs the report.
 */
export { connectMcpServers, DISCOVERY_SUBJECT, MCP_LIST_SCOPE } from './connect-mcp-servers.ts';
export { type InputSchemaConversion, inputSchemaFromJsonSchema } from './json-schema-input.ts';
export { DEFAULT_MAX_RESPONSE_BYTES } from './mcp-client-session.ts';
export { McpConnectorError, type McpFailureKind, McpTimeoutError } from './mcp-errors.ts';
export { MCP_LABELS_META_KEY, toolOutputOf } from './mcp-result.ts';
export {
  DEFAULT_CREDENTIAL_HEADER,
  DEFAULT_MCP_TIMEOUT_MS,
  mcpServersFromEnv,
  resolveMcpServers,
} from './mcp-server-config.ts';
export { effectOf, mcpCallScope } from './mcp-tool.ts';
export { mcpToolName, TOOL_NAME_PATTERN } from './mcp-tool-name.ts';
export type {
  McpConnection,
  McpConnectOptions,
  McpGrantAuthority,
  McpServerConfig,
  McpServerReport,
  ResolvedMcpServer,
} from './types.ts';
