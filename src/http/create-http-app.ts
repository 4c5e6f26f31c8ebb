import { Hono } from 'hono';
import type { App } from '../app/create-app.ts';
import type { AuditCheckpoints } from '../audit/audit-checkpoints.ts';
import type { LockoutLimits } from '../delegation/token-exchange-lockout.ts';
import type { TokenExchangeSettings } from '../delegation/token-exchange-settings.ts';
import type { OidcLogin } from '../identity/oidc/oidc-login.ts';
import type { ScimSettings } from '../identity/scim/scim-settings.ts';
import { AppError } from '../protocol/errors.ts';
import { errorResponse, type UnexpectedErrorReporter } from './error-handler.ts';
import { authenticate, requireSignedIn } from './middleware/authenticate.ts';
import { limitBody } from './middleware/body-limit.ts';
import { csrfProtection } from './middleware/csrf.ts';
import { refuseUrlTokens } from './middleware/refuse-url-tokens.ts';
import { securityHeaders } from './middleware/security-headers.ts';
import { isPublicApiRoute } from './public-routes.ts';
import { SlidingWindowLimiter } from './rate-limiter.ts';
import type { RouteContext } from './route-context.ts';
import { adminRoutes } from './routes/admin-routes.ts';
import { agentRoutes } from './routes/agent-routes.ts';
import { auditRoutes } from './routes/audit-routes.ts';
import { type ConnectorAccounts, connectorRoutes } from './routes/connector-routes.ts';
import { governanceRoutes } from './routes/governance-routes.ts';
import { memoryRoutes } from './routes/memory-routes.ts';
import { messageRoutes } from './routes/message-routes.ts';
import { oauthRoutes } from './routes/oauth-routes.ts';
import { oidcRoutes } from './routes/oidc-routes.ts';
import { realtimeRoute } from './routes/realtime-route.ts';
import { runRoutes } from './routes/run-routes.ts';
import { SCIM_BASE_PATH, scimRoutes } from './routes/scim-routes.ts';
import { sessionRoutes } from './routes/session-routes.ts';
import { threadRoutes } from './routes/thread-routes.ts';
import { toolRoutes } from './routes/tool-routes.ts';
import { userRoutes } from './routes/user-routes.ts';
import { wellKnownRoutes } from './routes/well-known-routes.ts';
import { isApiPath, mountWebUi } from './static-files.ts';
import type { HttpEnv, RealtimeAcceptor } from './types.ts';

/** Options of {@link createHttpApp}. */
export interface HttpAppOptions {
  /** Dev login (`POST /api/session { user }`): on only on the embedded default; always off when `oidc` is given. */
  devLogin: boolean;
  /** OpenID Connect login (`createOidcLogin`); turns dev login off. */
  oidc?: OidcLogin;
  /** Clients and resources of the token-exchange endpoint `POST /oauth/token`; default none (every request is `invalid_client`). */
  oauth?: TokenExchangeSettings;
  /** Force the cookie's `Secure` flag; default: set when the request is https. */
  secureCookies?: boolean;
  /** Largest request body accepted, in bytes (default 64 KiB); larger is 413. */
  maxBodyBytes?: number;
  /** Agent invocations (`@agent` messages) per user per minute (default 20); more is 429. */
  agentInvocationsPerMinute?: number;
  /** The WebSocket hub (set by `startServer`); without it `GET /api/ws` is 503. */
  realtime?: RealtimeAcceptor;
  /**
   * Addresses of reverse proxies whose `X-Forwarded-For` names a request's source
   * (`BEHALF_TRUSTED_PROXIES`); default none: the TCP peer is the source. Failed OAuth client
   * authentications are throttled per source, so behind an unlisted proxy every client shares one.
   */
  trustedProxies?: readonly string[];
  /** Limits on failed OAuth client authentications at `POST /oauth/token` (tests); see `FailedAuthLockout`. */
  oauthLockout?: Partial<LockoutLimits>;
  /** Origins allowed to open WebSockets besides the server's own host (`https://behalf.example`). */
  allowedOrigins?: readonly string[];
  /** Personal accounts on `per-user-oauth` MCP servers, served at `/api/connectors`. */
  connectors?: ConnectorAccounts;
  /** The deployment's signed audit checkpoints (I6), checked by `/api/audit/verify`; none when omitted. */
  auditCheckpoints?: AuditCheckpoints;
  /** Directory of the built web UI, served at `/` with an SPA fallback; none when omitted. */
  webRoot?: string;
  /** Told about unexpected failures (500s); default: `console.error`. */
  onUnexpectedError?: UnexpectedErrorReporter;
  /** SCIM 2.0 provisioning at `/scim/v2` with its own bearer token (`BEHALF_SCIM_TOKEN`); off (404) when omitted. */
  scim?: ScimSettings;
}

/**
 * The Behalf HTTP API (SPEC §6) on Hono, in front of the engine. Handlers stay thin: validate
 * (zod), call the engine, map to wire shapes; every error becomes `{ error: { code, message } }`
 * in one place (`onError`). Testable in-process with `app.request()`.
 *
 * Order of the gate for every `/api` request: body size limit → refuse URL credentials →
 * authenticate (Bearer or cookie) → refuse anonymous requests except to the public routes →
 * CSRF for cookie-authenticated writes → route.
 */
export function createHttpApp(app: App, options: HttpAppOptions): Hono<HttpEnv> {
  const { sessions } = app;
  const context: RouteContext = {
    app,
    sessions,
    devLogin: options.devLogin && !options.oidc,
    oidc: options.oidc,
    sessionTtlSeconds: Math.floor(sessions.lifetimeMs / 1000),
    secureCookies: options.secureCookies,
    agentLimiter: new SlidingWindowLimiter(options.agentInvocationsPerMinute ?? 20, 60_000, app.clock),
    realtime: options.realtime,
    allowedOrigins: options.allowedOrigins ?? [],
    connectors: options.connectors,
    auditCheckpoints: options.auditCheckpoints,
  };
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const report: UnexpectedErrorReporter =
    options.onUnexpectedError ??
    ((error, request) => console.error(`[behalf] unexpected error on ${request.method} ${request.path}`, error));

  const http = new Hono<HttpEnv>();
  http.onError((error, c) => errorResponse(c, error, report));
  http.notFound((c) => errorResponse(c, new AppError('not_found', 'No such route')));

  http.use('*', securityHeaders(isApiPath));
  http.use('/api/*', limitBody(maxBodyBytes));
  http.use('/api/*', refuseUrlTokens());
  http.use('/api/*', authenticate(sessions));
  http.use('/api/*', requireSignedIn(isPublicApiRoute));
  http.use(
    '/api/*',
    csrfProtection((method, path) => method === 'POST' && path === '/api/session'),
  );

  for (const routes of [
    sessionRoutes,
    oidcRoutes,
    userRoutes,
    agentRoutes,
    threadRoutes,
    messageRoutes,
    memoryRoutes,
    runRoutes,
    toolRoutes,
    auditRoutes,
    governanceRoutes,
    adminRoutes,
    connectorRoutes,
    realtimeRoute,
  ]) {
    http.route('/api', routes(context));
  }
  http.route('/.well-known', wellKnownRoutes(context));
  http.use('/oauth/*', limitBody(maxBodyBytes));
  http.route(
    '/oauth',
    oauthRoutes(app.edge.tokenEndpoint(options.oauth, options.oauthLockout), options.trustedProxies),
  );
  // Outside `/api`: its own bearer token, never a session, so none of the gate above applies.
  if (options.scim) http.route(SCIM_BASE_PATH, scimRoutes(context, options.scim, report));
  if (options.webRoot) mountWebUi(http, options.webRoot);
  return http;
}
