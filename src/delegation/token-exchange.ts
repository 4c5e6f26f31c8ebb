import { decodeJwt } from 'jose';
import type { AuditEntry } from '../audit/types.ts';
import type { User, UserStore } from '../identity/types.ts';
import type { Clock } from '../shared/clock.ts';
import { canonicalJson, sha256Hex } from '../shared/hash.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { OAuthClient, TokenExchangeSettings } from './token-exchange-settings.ts';
import { isResourceUri } from './token-exchange-settings.ts';
import { type ActorClaim, type GrantAuthority, MAX_ACTOR_CHAIN } from './types.ts';

/** RFC 8693 grant type. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** Subject token type of a Behalf session token (the Bearer token of the API). */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
/** Subject token type of a signed delegation grant, and the type of every issued token. */
export const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';
/** Audit action of every exchange attempt by an authenticated client (and every failed authentication). */
export const TOKEN_EXCHANGE_ACTION = 'token.exchange';
/** `thread` claim of grants exchanged from a session, which belong to no thread. */
export const EXCHANGE_THREAD = 'token-exchange';

/** RFC 6749 §5.2 error codes the token endpoint answers with (`invalid_target`: RFC 8707). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'unsupported_grant_type'
  | 'invalid_target'
  | 'invalid_scope'
  | 'server_error';

/** A successful token response (RFC 8693 §2.2.1). */
export interface TokenExchangeResponse {
  access_token: string;
  issued_token_type: typeof JWT_TOKEN_TYPE;
  token_type: 'Bearer';
  expires_in: number;
  scope?: string;
}

/** A refusal, as a value: the OAuth error and a description that names no token contents. */
export interface TokenExchangeError {
  ok: false;
  error: OAuthErrorCode;
  description: string;
}

export type TokenExchangeOutcome = { ok: true; response: TokenExchangeResponse } | TokenExchangeError;

/** What the exchange needs; built once per deployment. */
export interface TokenExchangeDependencies {
  grants: GrantAuthority;
  /** Resolves a session token to its live session and user (the `SessionService`). */
  sessions: { authenticate(token: string): Promise<{ user: User; session: { expiresAt: number } } | undefined> };
  users: UserStore;
  audit: { append(entry: AuditEntry): Promise<unknown> };
  clock: Clock;
  ids: IdGenerator;
  settings: TokenExchangeSettings;
}

/** Who the subject token speaks for, and what bounds the new token. */
interface Subject {
  userId: string;
  /** Epoch seconds after which the subject is no longer good: the new token never outlives it. */
  notAfter: number;
  thread: string | null;
  run: string | null;
  /** Scopes of a subject grant; the new token may only narrow them. Null for sessions. */
  scopes: string[] | null;
  /** Who acted on a subject grant (its `act`): the new token nests it under the client (RFC 8693 §4.1). */
  actor?: ActorClaim;
  /** Verifies again with single use, consuming a subject grant's `jti` once everything else passed. */
  consume?: () => Promise<TokenExchangeError | null>;
}

const SINGLE_VALUED = ['grant_type', 'subject_token', 'subject_token_type', 'requested_token_type', 'scope'];
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]{1,200}$/;
const MAX_TTL_SECONDS = 300;

/**
 * The RFC 8693 token exchange behind `POST /oauth/token`, for an already authenticated client.
 *
 * The subject is a person: a live session token (`access_token` type) or a signed delegation
 * grant in that person's name (`jwt` type, verified by the grant authority, `aud` one of the
 * client's `subjectAudiences`, exchanged at most once). The actor is the authenticated client,
 * never a token the request carries. The result is a delegation grant signed like every other:
 * `sub` the person, `act.sub` the client, `aud` the one target resource (RFC 8707, required and
 * registered), `exp` at most 5 minutes and never past the subject's own expiry. Its `run` is
 * the exchange's id (`exchange:…`, also the audit record's run) for a session subject, and the
 * subject grant's thread and run for a grant subject, so downstream calls stay tied to the agent
 * run that started them. Every outcome is audited before it is returned.
 */
export class TokenExchange {
  constructor(private readonly deps: TokenExchangeDependencies) {}

  /** Refuses a request by `client` that is malformed before any parameter is read (`invalid_request`), audited. */
  refuse(client: OAuthClient, description: string): Promise<TokenExchangeError> {
    const audit = new ExchangeAudit(this.deps.audit, client.clientId, `exchange:${this.deps.ids.next('xchg')}`, null);
    return audit.deny({ ok: false, error: 'invalid_request', description });
  }

  /** Exchanges the form parameters of one token request by `client`. */
  async exchange(client: OAuthClient, params: URLSearchParams): Promise<TokenExchangeOutcome> {
    const exchangeId = this.deps.ids.next('xchg');
    const audit = new ExchangeAudit(this.deps.audit, client.clientId, `exchange:${exchangeId}`, params);
    const refuse = (error: OAuthErrorCode, description: string) => audit.deny({ ok: false, error, description });

    for (const name of SINGLE_VALUED) {
      if (params.getAll(name).length > 1) return refuse('invalid_request', `${name} was given more than once`);
    }
    const grantType = params.get('grant_type');
    if (!grantType) return refuse('invalid_request', 'grant_type is required');
    if (grantType !== TOKEN_EXCHANGE_GRANT)
      return refuse('unsupported_grant_type', `Only ${TOKEN_EXCHANGE_GRANT} is supported`);
    if (params.has('actor_token') || params.has('actor_token_type')) {
      return refuse('invalid_request', 'The actor is the authenticated client; actor_token is not accepted');
    }
    const requested = params.get('requested_token_type');
    if (requested !== null && requested !== JWT_TOKEN_TYPE && requested !== ACCESS_TOKEN_TYPE) {
      return refuse('invalid_request', 'requested_token_type must be the jwt or access_token type');
    }
    const subjectToken = params.get('subject_token');
    const subjectType = params.get('subject_token_type');
    if (!subjectToken || !subjectType)
      return refuse('invalid_request', 'subject_token and subject_token_type are required');

    // RFC 8693 §2.2.2: an invalid or unacceptable subject token is `invalid_request`.
    const subject = await this.resolveSubject(client, subjectToken, subjectType);
    if ('error' in subject) return audit.deny(subject);
    audit.requester = subject.userId;
    if (subject.thread) audit.threadId = subject.thread;
    if (subject.run) audit.runId = subject.run;

    const requestedTarget = params.get('resource') ?? params.get('audience');
    if (requestedTarget !== null) audit.target = requestedTarget.slice(0, 300);
    const target = this.resolveTarget(client, params);
    if (typeof target !== 'string') return audit.deny(target);
    const scope = this.resolveScope(client, params.get('scope'), subject.scopes);
    if (typeof scope !== 'string') return audit.deny(scope);

    const nowSeconds = Math.floor(this.deps.clock.now() / 1000);
    const ttl = Math.min(MAX_TTL_SECONDS, subject.notAfter - nowSeconds);
    if (ttl < 1) return refuse('invalid_request', 'The subject token expires too soon to be exchanged');
    const consumed = await subject.consume?.();
    if (consumed) return audit.deny(consumed);

    const grant = this.deps.grants.mint({
      subject: subject.userId,
      actor: client.clientId,
      audience: target,
      scope,
      threadId: subject.thread ?? EXCHANGE_THREAD,
      runId: subject.run ?? audit.runId,
      mode: 'user',
      ttlSeconds: ttl,
      ...(subject.actor ? { priorActor: subject.actor } : {}),
    });
    const accessToken = await this.deps.grants.sign(grant);
    await audit.allow(grant.claims.jti, grant.claims.exp);
    const response: TokenExchangeResponse = {
      access_token: accessToken,
      issued_token_type: JWT_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: grant.claims.exp - nowSeconds,
    };
    if (scope) response.scope = scope;
    return { ok: true, response };
  }

  private async resolveSubject(
    client: OAuthClient,
    token: string,
    type: string,
  ): Promise<Subject | TokenExchangeError> {
    const invalid = (description: string): TokenExchangeError => ({ ok: false, error: 'invalid_request', description });
    if (type === ACCESS_TOKEN_TYPE) {
      const found = await this.deps.sessions.authenticate(token);
      if (!found) return invalid('The subject token is not a live session (unknown, expired or revoked)');
      return {
        userId: found.user.id,
        notAfter: Math.floor(found.session.expiresAt / 1000),
        thread: null,
        run: null,
        scopes: null,
      };
    }
    if (type !== JWT_TOKEN_TYPE) return invalid('subject_token_type must be the access_token or jwt type');
    let audience: unknown;
    try {
      audience = decodeJwt(token).aud;
    } catch {
      return invalid('The subject token is not a JWT');
    }
    if (typeof audience !== 'string' || !client.subjectAudiences.includes(audience)) {
      return invalid('This client may not exchange grants issued for that audience');
    }
    const verify = async (preventReplay: boolean) => this.deps.grants.verify(token, { audience, preventReplay });
    const check = await verify(false);
    if (!check.ok) return invalid(`The subject grant was refused (${check.reason}): ${check.message}`);
    const { claims } = check;
    if (claims.mode !== 'user') return invalid('Only grants made on behalf of a person can be exchanged');
    if (actorChainLength(claims.act) >= MAX_ACTOR_CHAIN) {
      return invalid(
        `The subject grant already passed through ${MAX_ACTOR_CHAIN} actors; it cannot be delegated further`,
      );
    }
    if (!(await this.deps.users.get(claims.sub))) return invalid('The subject grant names no current user');
    return {
      userId: claims.sub,
      notAfter: claims.exp,
      thread: claims.thread,
      run: claims.run,
      scopes: splitScope(claims.scope),
      actor: claims.act,
      consume: async () => {
        const again = await verify(true);
        return again.ok ? null : invalid(`The subject grant was refused (${again.reason}): ${again.message}`);
      },
    };
  }

  private resolveTarget(client: OAuthClient, params: URLSearchParams): string | TokenExchangeError {
    const targets = [...new Set([...params.getAll('resource'), ...params.getAll('audience')])];
    const refuse = (error: OAuthErrorCode, description: string): TokenExchangeError => ({
      ok: false,
      error,
      description,
    });
    if (targets.length === 0)
      return refuse('invalid_request', 'resource (or audience) is required: the URI of the target resource');
    if (targets.length > 1) return refuse('invalid_target', 'Name exactly one target resource per exchange');
    const target = targets[0] as string;
    if (!isResourceUri(target))
      return refuse('invalid_target', 'The resource must be an absolute URI without a fragment');
    if (!this.deps.settings.resources.includes(target)) return refuse('invalid_target', 'Unknown target resource');
    if (client.resources && !client.resources.includes(target)) {
      return refuse('invalid_target', 'This client may not obtain tokens for that resource');
    }
    return target;
  }

  private resolveScope(
    client: OAuthClient,
    scope: string | null,
    allowed: string[] | null,
  ): string | TokenExchangeError {
    const refuse = (description: string): TokenExchangeError => ({ ok: false, error: 'invalid_scope', description });
    if (scope === null) return allowed ? allowed.join(' ') : '';
    const scopes = splitScope(scope);
    if (scopes.some((token) => !SCOPE_TOKEN.test(token))) return refuse('scope is malformed');
    if (client.scopes && scopes.some((token) => !client.scopes?.includes(token))) {
      return refuse('This client may not request that scope');
    }
    if (allowed && scopes.some((token) => !allowed.includes(token))) {
      return refuse('The requested scope is wider than the subject grant');
    }
    return [...new Set(scopes)].join(' ');
  }
}

/** One audit record per exchange; fields fill in as the request is understood. */
class ExchangeAudit {
  requester: string | null = null;
  threadId: string | null = null;
  target: string | null = null;
  private argsHash: string | undefined;

  constructor(
    private readonly log: TokenExchangeDependencies['audit'],
    private readonly clientId: string,
    public runId: string,
    params: URLSearchParams | null,
  ) {
    if (!params) return;
    const token = params.get('subject_token');
    this.argsHash = sha256Hex(
      canonicalJson({
        grant_type: params.get('grant_type'),
        subject_token_type: params.get('subject_token_type'),
        subject_token_sha256: token === null ? null : sha256Hex(token),
        resource: params.getAll('resource'),
        audience: params.getAll('audience'),
        scope: params.get('scope'),
      }),
    );
  }

  async deny(error: TokenExchangeError): Promise<TokenExchangeError> {
    await this.write('deny', `${error.error}: ${error.description}`);
    return error;
  }

  async allow(jti: string, exp: number): Promise<void> {
    await this.write('allow', 'token issued', sha256Hex(canonicalJson({ jti, exp })));
  }

  private async write(decision: 'allow' | 'deny', reason: string, resultHash?: string): Promise<void> {
    await this.log.append({
      requester: this.requester,
      agent: this.clientId,
      mode: 'user',
      threadId: this.threadId,
      runId: this.runId,
      action: TOKEN_EXCHANGE_ACTION,
      resource: `resource:${this.target ?? 'none'}`,
      decision,
      policies: [],
      reason,
      ...(this.argsHash ? { argsHash: this.argsHash } : {}),
      ...(resultHash ? { resultHash } : {}),
    });
  }
}

function splitScope(scope: string): string[] {
  return scope.split(' ').filter(Boolean);
}

function actorChainLength(actor: ActorClaim | undefined): number {
  return actor ? 1 + actorChainLength(actor.act) : 0;
}
