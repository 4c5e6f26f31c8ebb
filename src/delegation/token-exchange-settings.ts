import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../protocol/errors.ts';

/**
 * A tool outside the process registered to exchange tokens at `POST /oauth/token` (RFC 8693).
 * It authenticates with `client_secret_basic`; its `clientId` becomes the `act.sub` of every
 * token it obtains, so it is the agent of record for what it does with them.
 */
export interface OAuthClient {
  clientId: string;
  /** SHA-256 of the client secret; the secret itself is not kept. */
  secretHash: Buffer;
  /** Target resources it may obtain tokens for; undefined: every configured resource. */
  resources?: readonly string[];
  /**
   * `aud` values of delegation grants it may present as `subject_token`: the resource URIs that
   * *are* this client (an MCP server exchanging the grant it was called with). Default none: it
   * may only exchange session tokens.
   */
  subjectAudiences: readonly string[];
  /** Scopes it may request; undefined: any. */
  scopes?: readonly string[];
}

/** Configuration of the token endpoint. */
export interface TokenExchangeSettings {
  clients: readonly OAuthClient[];
  /** Target resources (RFC 8707 URIs) tokens may be issued for: configured ones and the MCP servers'. */
  resources: readonly string[];
}

const clientSchema = z
  .strictObject({
    client_id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'letters, digits, ".", "_", ":" or "-"'),
    client_secret: z.string().min(32, 'at least 32 characters').max(512).optional(),
    client_secret_sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, '64 lower-case hex digits')
      .optional(),
    resources: z.array(z.string()).max(100).optional(),
    subject_audiences: z.array(z.string()).max(100).optional(),
    scopes: z
      .array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,200}$/))
      .max(100)
      .optional(),
  })
  .refine((client) => (client.client_secret === undefined) !== (client.client_secret_sha256 === undefined), {
    message: 'give exactly one of client_secret and client_secret_sha256',
  });

/**
 * Reads `BEHALF_OAUTH_CLIENTS` (a JSON list of `{ client_id, client_secret | client_secret_sha256,
 * resources?, subject_audiences?, scopes? }`) and `BEHALF_OAUTH_RESOURCES` (a JSON list or a
 * space/comma-separated list of resource URIs); `extraResources` adds the MCP servers' resource
 * URIs. Invalid configuration throws `bad_request`, so the server refuses to start.
 */
export function tokenExchangeSettingsFromEnv(
  env: Record<string, string | undefined>,
  extraResources: readonly string[] = [],
): TokenExchangeSettings {
  const clientsText = env.BEHALF_OAUTH_CLIENTS?.trim();
  const resourcesText = env.BEHALF_OAUTH_RESOURCES?.trim();
  const clients = clientsText ? parseJson(clientsText, 'BEHALF_OAUTH_CLIENTS') : [];
  const resources = !resourcesText
    ? []
    : resourcesText.startsWith('[')
      ? parseJson(resourcesText, 'BEHALF_OAUTH_RESOURCES')
      : resourcesText.split(/[\s,]+/).filter(Boolean);
  return resolveTokenExchangeSettings(clients, [
    ...(Array.isArray(resources) ? resources : [resources]),
    ...extraResources,
  ]);
}

/** Checks client registrations and resources given in code or read from the environment. */
export function resolveTokenExchangeSettings(clients: unknown, resources: readonly unknown[]): TokenExchangeSettings {
  const checkedResources = [...new Set(resources.map((resource) => checkResource(resource, 'BEHALF_OAUTH_RESOURCES')))];
  if (!Array.isArray(clients)) throw configError('BEHALF_OAUTH_CLIENTS must be a JSON list of clients');
  const seen = new Set<string>();
  const resolved = clients.map((entry, index): OAuthClient => {
    const parsed = clientSchema.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw configError(`BEHALF_OAUTH_CLIENTS #${index + 1}: ${issue?.path.join('.') || 'entry'}: ${issue?.message}`);
    }
    const value = parsed.data;
    if (seen.has(value.client_id)) throw configError(`two OAuth clients are named "${value.client_id}"`);
    seen.add(value.client_id);
    const label = `OAuth client "${value.client_id}"`;
    const client: OAuthClient = {
      clientId: value.client_id,
      secretHash: value.client_secret_sha256
        ? Buffer.from(value.client_secret_sha256, 'hex')
        : hashClientSecret(value.client_secret ?? ''),
      subjectAudiences: (value.subject_audiences ?? []).map((uri) => checkResource(uri, `${label} subject_audiences`)),
    };
    if (value.resources) {
      client.resources = value.resources.map((uri) => checkResource(uri, `${label} resources`));
      const unknown = client.resources.find((uri) => !checkedResources.includes(uri));
      if (unknown) throw configError(`${label} lists resource ${unknown}, which is not a configured resource`);
    }
    if (value.scopes) client.scopes = value.scopes;
    return client;
  });
  return { clients: resolved, resources: checkedResources };
}

/** SHA-256 of a client secret: what registrations keep and presented secrets are compared as. */
export function hashClientSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/**
 * A resource indicator as RFC 8707 §2 requires: an absolute URI without a fragment. Returns it
 * unchanged (resources are compared as strings, like `aud`), or throws `bad_request`.
 */
export function checkResource(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isResourceUri(value)) {
    throw configError(`${field}: ${JSON.stringify(value).slice(0, 100)} is not an absolute URI without a fragment`);
  }
  return value;
}

/** True for an absolute URI without a fragment (RFC 8707 §2). */
export function isResourceUri(value: string): boolean {
  if (value.length > 2048 || value.includes('#')) return false;
  return URL.canParse(value);
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw configError(`${name} is not valid JSON (${(error as Error).message})`);
  }
}

function configError(message: string): AppError {
  return new AppError('bad_request', `Invalid OAuth configuration: ${message}.`);
}
