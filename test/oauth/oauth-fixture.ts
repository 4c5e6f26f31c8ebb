import * as oauth from 'oauth4webapi';
import type { AuditRecord } from '../../src/audit/types.ts';
import { freePort } from '../../src/cli/free-port.ts';
import { JWT_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from '../../src/delegation/token-exchange.ts';
import { resolveTokenExchangeSettings } from '../../src/delegation/token-exchange-settings.ts';
import { type RunningServer, type ServerOptions, startServer } from '../../src/http/server.ts';
import type { SessionResponse } from '../../src/protocol/wire.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
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

type GrantAuthority = TestApp['grants'];

/**
 * A delegation grant for the CRM MCP server, minted by `authority` (the app's by default) as the
 * agent would on the Acme thread — bob's, `crm:read`, in user mode unless `claims` say otherwise —
 * and signed: `token` is what the MCP server would receive.
 */
export async function crmGrant(
  harness: OAuthHarness,
  claims: Partial<Parameters<GrantAuthority['mint']>[0]> & { runId: string },
  authority: GrantAuthority = harness.app.grants,
): Promise<{ grant: ReturnType<GrantAuthority['mint']>; token: string }> {
  const grant = authority.mint({
    subject: 'bob',
    actor: harness.app.agentId,
    audience: CRM,
    scope: 'crm:read',
    threadId: ACME_THREAD.id,
    mode: 'user',
    ...claims,
  });
  return { grant, token: await authority.sign(grant) };
}

/** `client` exchanges a delegation grant it received (`grantToken`, a JWT) for a token for `resource`. */
export function exchangeGrant(
  harness: OAuthHarness,
  client: ClientName,
  grantToken: string,
  resource: string,
  extra: Record<string, string> = {},
): Promise<ExchangeResult> {
  return harness.exchange(client, {
    subject_token: grantToken,
    subject_token_type: JWT_TOKEN_TYPE,
    resource,
    ...extra,
  });
}

/** `serverOptions` adds to the server's (trusted proxies, lockout limits). */
export async function startOAuthHarness(serverOptions: Partial<ServerOptions> = {}): Promise<OAuthHarness> {
  const port = await freePort('127.0.0.1');
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
