import type { AuditEntry } from '../audit/types.ts';
import { isAppError } from '../protocol/errors.ts';
import type { OAuthErrorCode, TokenExchange, TokenExchangeError, TokenExchangeResponse } from './token-exchange.ts';
import { TOKEN_EXCHANGE_ACTION } from './token-exchange.ts';
import { authenticateClient, parseBasicCredentials } from './token-exchange-clients.ts';
import type { FailedAuthLockout } from './token-exchange-lockout.ts';
import type { OAuthClient } from './token-exchange-settings.ts';

/** One token request as the HTTP edge received it. */
export interface TokenRequest {
  authorization: string | undefined;
  /** The network source (`clientAddress`), which failed authentications are counted against. */
  source: string;
  contentType: string | undefined;
  body: string;
}

/** The error body of RFC 6749 §5.2. */
export interface OAuthErrorBody {
  error: OAuthErrorCode | 'temporarily_unavailable';
  error_description: string;
}

/** What the HTTP edge sends back. */
export interface TokenReply {
  status: 200 | 400 | 401 | 429 | 500 | 503;
  body: TokenExchangeResponse | OAuthErrorBody;
  headers: Record<string, string>;
}

/** What the endpoint needs besides the exchange itself. */
export interface TokenEndpointDependencies {
  exchange: TokenExchange;
  clients: readonly OAuthClient[];
  lockout: FailedAuthLockout;
  audit: { append(entry: AuditEntry): Promise<unknown> };
}

const FORM = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/**
 * `POST /oauth/token` (RFC 6749 §3.2 with the RFC 8693 grant), independent of the web framework:
 * lockout check (per source, see `FailedAuthLockout`) → client authentication
 * (`client_secret_basic`; a failure is counted against its source, audited and answered 401
 * `invalid_client`) → form body only → the exchange. Responses carry
 * `Cache-Control: no-store` (RFC 6749 §5.1). An audit or key store outage is a 503, never a token.
 */
export class TokenEndpoint {
  constructor(private readonly deps: TokenEndpointDependencies) {}

  async handle(request: TokenRequest): Promise<TokenReply> {
    try {
      return await this.process(request);
    } catch (error) {
      const unavailable = isAppError(error) && (error.code === 'unavailable' || error.code === 'audit_unavailable');
      return unavailable
        ? reply(503, { error: 'temporarily_unavailable', error_description: 'Try again later' })
        : reply(500, { error: 'server_error', error_description: 'Internal error' });
    }
  }

  private async process(request: TokenRequest): Promise<TokenReply> {
    const { deps } = this;
    const claimed = parseBasicCredentials(request.authorization)?.clientId ?? null;
    // Made-up ids share one bucket, so spraying them cannot grow the lockout's memory.
    const known = claimed !== null && deps.clients.some((client) => client.clientId === claimed);
    const attempt = { clientId: known ? claimed : '', source: request.source };
    const wait = deps.lockout.retryAfterSeconds(attempt);
    if (wait > 0) {
      return reply(
        429,
        { error: 'invalid_client', error_description: 'Too many failed client authentications; retry later' },
        { 'Retry-After': String(wait) },
      );
    }
    const authentication = authenticateClient(deps.clients, request.authorization);
    if (!authentication.ok) {
      deps.lockout.fail(attempt);
      await deps.audit.append({
        requester: null,
        agent: null,
        mode: 'user',
        threadId: null,
        runId: null,
        action: TOKEN_EXCHANGE_ACTION,
        resource: 'resource:none',
        decision: 'deny',
        policies: [],
        reason: `invalid_client: ${authentication.description}${claimed ? ` for client_id ${JSON.stringify(claimed.slice(0, 128))}` : ''} from ${request.source}`,
      });
      return reply(
        401,
        { error: 'invalid_client', error_description: authentication.description },
        { 'WWW-Authenticate': 'Basic realm="behalf", charset="UTF-8"' },
      );
    }
    const { client } = authentication;
    if (!FORM.test(request.contentType ?? '')) {
      return refused(await deps.exchange.refuse(client, 'Send the request as application/x-www-form-urlencoded'));
    }
    const params = new URLSearchParams(request.body);
    if (params.has('client_secret') || params.has('client_assertion')) {
      return refused(await deps.exchange.refuse(client, 'Authenticate with client_secret_basic only, not in the body'));
    }
    const bodyClientId = params.get('client_id');
    if (bodyClientId !== null && bodyClientId !== client.clientId) {
      return refused(await deps.exchange.refuse(client, 'client_id does not match the authenticated client'));
    }
    const outcome = await deps.exchange.exchange(client, params);
    return outcome.ok ? reply(200, outcome.response) : refused(outcome);
  }
}

function refused(error: TokenExchangeError): TokenReply {
  return reply(400, { error: error.error, error_description: error.description });
}

function reply(
  status: TokenReply['status'],
  body: TokenReply['body'],
  headers: Record<string, string> = {},
): TokenReply {
  return { status, body, headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache', ...headers } };
}
