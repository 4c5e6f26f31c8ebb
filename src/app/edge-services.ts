import type { AuditLog } from '../audit/audit-log.ts';
import { TokenExchange } from '../delegation/token-exchange.ts';
import { TokenEndpoint } from '../delegation/token-exchange-endpoint.ts';
import { FailedAuthLockout, type LockoutLimits } from '../delegation/token-exchange-lockout.ts';
import type { TokenExchangeSettings } from '../delegation/token-exchange-settings.ts';
import type { GrantAuthority } from '../delegation/types.ts';
import type { RealtimeDeliveryPort } from '../http/realtime/event-delivery.ts';
import { RealtimeHub, type RealtimeHubOptions } from '../http/realtime/realtime-hub.ts';
import { activeUsers } from '../identity/active-users.ts';
import { OidcLogin } from '../identity/oidc/oidc-login.ts';
import type { OidcSettings } from '../identity/oidc/oidc-settings.ts';
import { ScimProvisioning } from '../identity/scim/scim-provisioning.ts';
import type { SessionService } from '../identity/session-service.ts';
import type { UserStore } from '../identity/types.ts';
import type { Clock } from '../shared/clock.ts';
import { randomIds } from '../shared/ids.ts';

/**
 * The services the HTTP edge serves, built here by the composition root (issue 8): the edge
 * receives them ready-made and never opens a store. Each is a function of settings only known
 * when serving (the OIDC provider, OAuth clients, the public URL once listening).
 */
export interface EdgeServices {
  /** OIDC login for `settings`; the redirect URI defaults to one under `publicUrl()`. */
  oidcLogin(settings: OidcSettings, options: { secret?: Uint8Array; publicUrl: () => string }): OidcLogin;
  /** The RFC 8693 endpoint for the configured clients and resources (none: every request is `invalid_client`). */
  tokenEndpoint(settings?: TokenExchangeSettings, lockout?: Partial<LockoutLimits>): TokenEndpoint;
  /** The WebSocket hub, fed by the engine's delivery port. */
  realtimeHub(options?: RealtimeHubOptions): RealtimeHub;
  /** SCIM 2.0 provisioning over the whole user store (served at `/scim/v2` when a token is configured). */
  readonly scim: ScimProvisioning;
}

/**
 * Builds the edge services over the engine's parts (called by `createApp`). `users` is the store
 * itself: OIDC login and SCIM must tell a deprovisioned person from an unknown one.
 */
export function edgeServices(parts: {
  users: UserStore;
  sessions: SessionService;
  grants: GrantAuthority;
  audit: AuditLog;
  clock: Clock;
  delivery: RealtimeDeliveryPort;
}): EdgeServices {
  return {
    oidcLogin: (settings, options) =>
      new OidcLogin({
        settings,
        users: parts.users,
        audit: parts.audit,
        clock: parts.clock,
        publicUrl: options.publicUrl,
        ...(options.secret ? { secret: options.secret } : {}),
      }),
    tokenEndpoint(settings = { clients: [], resources: [] }, lockout) {
      const exchange = new TokenExchange({
        grants: parts.grants,
        sessions: parts.sessions,
        // A grant of someone deprovisioned since names no current user: refused.
        users: activeUsers(parts.users),
        audit: parts.audit,
        clock: parts.clock,
        ids: randomIds,
        settings,
      });
      return new TokenEndpoint({
        exchange,
        clients: settings.clients,
        lockout: new FailedAuthLockout(parts.clock, lockout),
        audit: parts.audit,
      });
    },
    realtimeHub: (options) => new RealtimeHub(parts.delivery, options),
    scim: new ScimProvisioning({
      users: parts.users,
      sessions: parts.sessions,
      audit: parts.audit,
      clock: parts.clock,
    }),
  };
}
