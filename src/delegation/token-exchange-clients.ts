import { timingSafeEqual } from 'node:crypto';
import { hashClientSecret, type OAuthClient } from './token-exchange-settings.ts';

/** Credentials of an `Authorization: Basic` header, decoded per RFC 6749 §2.3.1. */
export interface BasicCredentials {
  clientId: string;
  secret: string;
}

/** The outcome of client authentication, as a value. `clientId` is what was claimed, if anything. */
export type ClientAuthentication =
  | { ok: true; client: OAuthClient }
  | { ok: false; clientId: string | null; description: string };

const UNKNOWN_CLIENT_HASH = hashClientSecret('behalf: no such client');

/**
 * Reads `Authorization: Basic base64(urlencode(client_id) ":" urlencode(client_secret))`. The
 * form-encoding inside the base64 is what RFC 6749 §2.3.1 asks for (and what OAuth client
 * libraries send), so a secret may contain `:`. Null when the header is absent or malformed.
 */
export function parseBasicCredentials(header: string | undefined): BasicCredentials | null {
  const match = header === undefined ? null : /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(header.trim());
  if (!match?.[1] || match[1].length > 4096) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  try {
    const clientId = formDecode(decoded.slice(0, colon));
    const secret = formDecode(decoded.slice(colon + 1));
    return clientId ? { clientId, secret } : null;
  } catch {
    return null;
  }
}

/**
 * Authenticates a client with `client_secret_basic`. Secrets are compared as SHA-256 digests in
 * constant time, and an unknown client id costs the same comparison, so timing tells nothing.
 */
export function authenticateClient(clients: readonly OAuthClient[], header: string | undefined): ClientAuthentication {
  const credentials = parseBasicCredentials(header);
  if (!credentials)
    return { ok: false, clientId: null, description: 'Authenticate with HTTP Basic (client_secret_basic)' };
  const client = clients.find((candidate) => candidate.clientId === credentials.clientId);
  const matches = timingSafeEqual(hashClientSecret(credentials.secret), client?.secretHash ?? UNKNOWN_CLIENT_HASH);
  if (!client || !matches) {
    return { ok: false, clientId: credentials.clientId, description: 'Client authentication failed' };
  }
  return { ok: true, client };
}

function formDecode(text: string): string {
  return decodeURIComponent(text.replaceAll('+', ' '));
}
