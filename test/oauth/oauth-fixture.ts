import { createServer } from 'node:net';
import * as oauth from 'oauth4webapi';
import type { AuditRecord } from '../../src/audit/types.ts';
import { TOKEN_EXCHANGE_GRANT } from '../../src/delegation/token-exchange.ts';
import { resolveTokenExchangeSettings } from '../../src/delegation/token-exchange-settings.ts';
import { type RunningServer, type ServerOptions, startServer } from '../../src/http/server.ts';
import type { SessionResponse } from '../../src/protocol/wire.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

export const DOCS = 'https://docs.example/api';
export const CRM = 'https://crm.example/mcp';
export const BILLING = 'https://billing.example/api';

/** Registered clients: an agent outside the process, an MCP server that exchanges the grants it receives, a lockout target. */
export const CLIENTS = {
  agent: { id: 'ci-agent', secret: 'ci-agent-secret-0123456789abcdefghijklmnop' },
  crm: { id: 'mcp-crm', secret: 'mcp-crm-secret-0123456789abcdefghijklmnopq' },
  locked: { id: 'lock-target', secret: 'lock-target-secret-0123456789abcdefghijkl' },
} as const;

export type ClientName = keyof typeof CLIENTS;

/** A token endpoint answer as the client library reported it. */
export type ExchangeResult =
  | { ok: true; response: oauth.TokenEndpointResponse }
  | { ok: false; status: number; error: string; description: string | undefined };

/** Behalf served on a loopback port whose grant issuer is its own URL, with OAuth clients registered. */
export interface OAuthHarness {
  app: TestApp;
  server: RunningServer;
  issuer: string;
  /** The metadata oauth4webapi discovered. */
  as: oauth.AuthorizationServer;
  /** Dev login (on in these tests) → the session's Bearer token. */
  sessionToken(user: string): Promise<string>;
  /** A token-exchange request sent by oauth4webapi with `client_secret_basic`. */
  exchange(
    client: ClientName | { id: string; secret: string },
    parameters: Record<string, string>,
  ): Promise<ExchangeResult>;
  /** The newest `token.exchange` audit record. */
  lastExchangeRecord(): Promise<AuditRecord | undefined>;
  close(): Promise<void>;
}

/** `serverOptions` adds to the server's (trusted proxies, lockout limits). */
export async function startOAuthHarness(serverOptions: Partial<ServerOptions> = {}): Promise<OAuthHarness> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const app = await createTestApp({ issuer });
  const server = await startServer({
    app,
    port,
    webRoot: null,
    oauth: resolveTokenExchangeSettings(
      [
        { client_id: CLIENTS.agent.id, client_secret: CLIENTS.agent.secret },
        {
          client_id: CLIENTS.crm.id,
          client_secret: CLIENTS.crm.secret,
          resources: [BILLING],
          subject_audiences: [CRM],
        },
        { client_id: CLIENTS.locked.id, client_secret: CLIENTS.locked.secret },
      ],
      [DOCS, CRM, BILLING],
    ),
    ...serverOptions,
  });
  const issuerUrl = new URL(issuer);
  const as = await oauth.processDiscoveryResponse(
    issuerUrl,
    await oauth.discoveryRequest(issuerUrl, { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true }),
  );
  return {
    app,
    server,
    issuer,
    as,
    async sessionToken(user) {
      const response = await fetch(`${issuer}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user }),
      });
      return ((await response.json()) as SessionResponse).token;
    },
    async exchange(which, parameters) {
      const client = typeof which === 'string' ? CLIENTS[which] : which;
      const response = await oauth.genericTokenEndpointRequest(
        as,
        { client_id: client.id },
        oauth.ClientSecretBasic(client.secret),
        TOKEN_EXCHANGE_GRANT,
        parameters,
        { [oauth.allowInsecureRequests]: true },
      );
      return readTokenResponse(as, client.id, response);
    },
    async lastExchangeRecord() {
      await app.drain();
      return (await app.store.audit.query({ action: 'token.exchange' })).at(-1);
    },
    async close() {
      await server.close();
      await app.close();
    },
  };
}

/** Processes a token response with oauth4webapi, turning its errors into values. */
export async function readTokenResponse(
  as: oauth.AuthorizationServer,
  clientId: string,
  response: Response,
): Promise<ExchangeResult> {
  try {
    return {
      ok: true,
      response: await oauth.processGenericTokenEndpointResponse(as, { client_id: clientId }, response),
    };
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError) {
      return { ok: false, status: error.status, error: error.error, description: error.error_description };
    }
    if (error instanceof oauth.WWWAuthenticateChallengeError) {
      const body = (await error.response.json()) as { error: string; error_description?: string };
      return { ok: false, status: error.status, error: body.error, description: body.error_description };
    }
    throw error;
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
