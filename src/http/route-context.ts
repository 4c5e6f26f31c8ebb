import type { App } from '../app/create-app.ts';
import type { AuditCheckpoints } from '../audit/audit-checkpoints.ts';
import type { OidcLogin } from '../identity/oidc/oidc-login.ts';
import type { SessionService } from '../identity/session-service.ts';
import type { SlidingWindowLimiter } from './rate-limiter.ts';
import type { ConnectorAccounts } from './routes/connector-routes.ts';
import type { RealtimeAcceptor } from './types.ts';

/** What route modules receive: the engine plus the edge's own pieces. */
export interface RouteContext {
  app: App;
  sessions: SessionService;
  /** Whether `POST /api/session` (dev login) and `GET /api/session/dev-users` are on. Never with `oidc`. */
  devLogin: boolean;
  /** OpenID Connect login, when configured. */
  oidc: OidcLogin | undefined;
  /** Session cookie lifetime in seconds. */
  sessionTtlSeconds: number;
  /** Force the cookie's `Secure` flag (behind a TLS-terminating proxy); default: when the request is https. */
  secureCookies: boolean | undefined;
  /** Agent invocations per user per minute. */
  agentLimiter: SlidingWindowLimiter;
  /** The WebSocket hub, when a server hosts the app. */
  realtime: RealtimeAcceptor | undefined;
  /** Origins allowed to open WebSockets besides the Host's own. */
  allowedOrigins: readonly string[];
  /** Personal accounts on `per-user-oauth` MCP servers (`/api/connectors`), when any are configured. */
  connectors: ConnectorAccounts | undefined;
  /** The signed audit checkpoints outside the database (I6), when the deployment keeps them. */
  auditCheckpoints: AuditCheckpoints | undefined;
}
