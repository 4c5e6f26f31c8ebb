import { z } from 'zod';
import { AppError } from '../../protocol/errors.ts';
import type { McpServerConfig, ResolvedMcpServer } from './types.ts';

/** Header that carries the requester's own token to a `per-user-oauth` server. */
export const DEFAULT_CREDENTIAL_HEADER = 'Behalf-Connector-Token';
/** Default budget of one MCP operation, ms (below the gateway's 15 s tool timeout). */
export const DEFAULT_MCP_TIMEOUT_MS = 10_000;

// Headers the transport or the grant own; a person's token must never replace or shadow them.
const RESERVED_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'host',
  'content-type',
  'content-length',
  'accept',
  'last-event-id',
]);
const LABEL = /^[a-z0-9][a-z0-9:._-]{0,99}$/;

const serverSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'letters, digits, _ and - (at most 40)'),
    url: z.string(),
    resource: z.string().optional(),
    toolPrefix: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,31}$/, 'lower-case letters, digits and _, starting with a letter')
      .optional(),
    timeoutMs: z.number().int().min(100).max(120_000).optional(),
    credential: z.enum(['none', 'per-user-oauth']).optional(),
    credentialHeader: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, 'an HTTP header name')
      .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()) && !name.toLowerCase().startsWith('mcp-'), {
        message: 'a header the transport or the grant already uses',
      })
      .optional(),
    defaultLabels: z
      .array(z.string().regex(LABEL, 'a label such as `public` or `sales-pipeline:emea`'))
      .max(32)
      .optional(),
    unannotatedEffect: z.enum(['read', 'write']).optional(),
  })
  .strict();

/**
 * Checks configurations and applies defaults. Throws `AppError` `bad_request` naming the server
 * and field at fault: a misconfigured deployment refuses to start, while an unreachable server
 * is only reported by `connectMcpServers`.
 */
export function resolveMcpServers(configs: readonly McpServerConfig[] | unknown): ResolvedMcpServer[] {
  if (!Array.isArray(configs)) throw configError('the MCP server configuration must be a list of servers');
  const resolved = configs.map((config, index) => resolveOne(config, index));
  const names = new Set<string>();
  const prefixes = new Set<string>();
  for (const server of resolved) {
    if (names.has(server.name)) throw configError(`two MCP servers are named "${server.name}"`);
    if (prefixes.has(server.toolPrefix))
      throw configError(`two MCP servers use the tool prefix "${server.toolPrefix}"`);
    names.add(server.name);
    prefixes.add(server.toolPrefix);
  }
  return resolved;
}

/** Parses `BEHALF_MCP_SERVERS` (a JSON list of `McpServerConfig`); empty or unset means none. */
export function mcpServersFromEnv(value: string | undefined): ResolvedMcpServer[] {
  if (value === undefined || value.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw configError(`BEHALF_MCP_SERVERS is not valid JSON (${(error as Error).message})`);
  }
  return resolveMcpServers(parsed);
}

function resolveOne(config: unknown, index: number): ResolvedMcpServer {
  const parsed = serverSchema.safeParse(config);
  const label = `MCP server ${describe(config, index)}`;
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw configError(`${label}: ${issue?.path.join('.') || 'entry'}: ${issue?.message ?? 'invalid'}`);
  }
  const value = parsed.data;
  const url = parseUrl(value.url, `${label}: url`);
  if (url.username || url.password) throw configError(`${label}: url must not carry credentials`);
  const resource = value.resource ?? `${url.origin}${url.pathname}`;
  const resourceUrl = parseUrl(resource, `${label}: resource`);
  if (resourceUrl.hash) throw configError(`${label}: resource must not have a fragment (RFC 8707)`);
  const credential = value.credential ?? 'none';
  if (credential === 'per-user-oauth' && url.protocol !== 'https:' && !isLoopback(url.hostname)) {
    throw configError(`${label}: per-user-oauth sends people's tokens, so its url must use https`);
  }
  return {
    name: value.name,
    url,
    resource,
    toolPrefix: value.toolPrefix ?? prefixFromName(value.name),
    timeoutMs: value.timeoutMs ?? DEFAULT_MCP_TIMEOUT_MS,
    credential,
    credentialHeader: value.credentialHeader ?? DEFAULT_CREDENTIAL_HEADER,
    defaultLabels: value.defaultLabels ?? [],
    unannotatedEffect: value.unannotatedEffect ?? 'read',
  };
}

function parseUrl(text: string, field: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw configError(`${field} is not an absolute URL: ${JSON.stringify(text).slice(0, 100)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw configError(`${field} must be http or https`);
  return url;
}

function prefixFromName(name: string): string {
  const prefix = name.toLowerCase().replaceAll('-', '_').slice(0, 32);
  return /^[a-z]/.test(prefix) ? prefix : `mcp_${prefix}`.slice(0, 32);
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function describe(config: unknown, index: number): string {
  const name = (config as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? `"${name.slice(0, 40)}"` : `#${index + 1}`;
}

function configError(message: string): AppError {
  return new AppError('bad_request', `Invalid MCP configuration: ${message}.`);
}
