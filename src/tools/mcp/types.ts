import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ConnectorCredentials } from '../../delegation/connector-credentials.ts';
import type { GrantAuthority } from '../../delegation/types.ts';
import type { ToolDefinition } from '../types.ts';

/**
 * One MCP server as configured (e.g. an entry of `BEHALF_MCP_SERVERS`). Its tools join the tool
 * registry as `<toolPrefix>_<tool>` and pass through the gateway like any other tool; every call
 * carries a fresh delegation grant whose `aud` is `resource`.
 */
export interface McpServerConfig {
  /** A short unique name: letters, digits, `_` and `-` (`crm`, `github-issues`). */
  name: string;
  /** The server's Streamable HTTP endpoint (`https://crm.example.com/mcp`). */
  url: string;
  /** Its RFC 8707 resource URI, the `aud` of its grants. Default: the URL's origin and path. */
  resource?: string;
  /** Prefix of its tools' names in the registry (`^[a-z][a-z0-9_]{0,31}$`). Default: from `name`. */
  toolPrefix?: string;
  /** Budget of one operation (connect + call, or discovery), ms. Default 10 000. */
  timeoutMs?: number;
  /**
   * `per-user-oauth`: each call also sends the requester's own token for this server, from
   * `ConnectorCredentials`, in `credentialHeader`. Needs `https` (or a loopback host). Default `none`.
   */
  credential?: 'none' | 'per-user-oauth';
  /** Header carrying the person's token. Default `Behalf-Connector-Token`. */
  credentialHeader?: string;
  /** Labels of results that carry none in `_meta['behalf/labels']`. Default none (unclassified). */
  defaultLabels?: string[];
  /** Effect of a tool without `readOnlyHint`/`destructiveHint` annotations. Default `read`. */
  unannotatedEffect?: 'read' | 'write';
}

/** A configuration with every default applied and checked. */
export interface ResolvedMcpServer {
  name: string;
  url: URL;
  resource: string;
  toolPrefix: string;
  timeoutMs: number;
  credential: 'none' | 'per-user-oauth';
  credentialHeader: string;
  defaultLabels: string[];
  unannotatedEffect: 'read' | 'write';
}

/** The grant authority's abilities the connector uses: check the call's grant, sign it, mint discovery grants. */
export type McpGrantAuthority = Pick<GrantAuthority, 'mint' | 'sign' | 'verifyInProcess'>;

/** What `connectMcpServers` needs besides the configurations. */
export interface McpConnectOptions {
  grants: McpGrantAuthority;
  /** Required when a server uses `per-user-oauth`. */
  credentials?: ConnectorCredentials;
  /** `act.sub` of discovery grants. Default `behalf-agent`. */
  agentId?: string;
  /** Tool names already taken (the built-in tools): MCP tools mapping to them are skipped, not registered twice. */
  reservedNames?: Iterable<string>;
  /** For tests; default the global `fetch`. */
  fetch?: FetchLike;
  /** Largest response body accepted from a server, bytes. Default 4 MiB. */
  maxResponseBytes?: number;
}

/** What happened to one configured server at startup. */
export interface McpServerReport {
  name: string;
  url: string;
  resource: string;
  /** `per-user-oauth`: each person connects their own account (`/api/connectors`). */
  credential: 'none' | 'per-user-oauth';
  /** `failed`: unreachable, refused discovery or answered garbage; its tools are absent. */
  status: 'connected' | 'failed';
  /** Registry names of the tools that loaded. */
  tools: string[];
  /** Tools that did not load, and why (unsupported input schema, name collision...). */
  skipped: Array<{ tool: string; reason: string }>;
  error?: string;
}

/** The tools to register, and the report of what loaded. */
export interface McpConnection {
  tools: ToolDefinition[];
  servers: McpServerReport[];
}
