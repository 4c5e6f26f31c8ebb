import type { AuditLog } from '../audit/audit-log.ts';
import { TokenExchange } from '../delegation/token-exchange.ts';
import { TokenEndpoint } from '../delegation/token-exchange-endpoint.ts';
import { FailedAuthLockout, type LockoutLimits } from '../delegation/token-exchange-lockout.ts';
import type { TokenExchangeSettings } from '../delegation/token-exchange-settings.ts';
import type { GrantAuthority } from '../delegation/types.ts';
import type { RealtimeDeliveryPort } from '../http/realtime/event-delivery.ts';
import { RealtimeHub, type RealtimeHubOptions } from '../http/realtime/realtime-hub.ts';
import { OidcLogin } from '../identity/oidc/oidc-login.ts';
import type { OidcSettings } from '../identity/oidc/oidc-settings.ts';
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
}

/** Builds the edge services over the engine's parts (called by `createApp`). */
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
        users: parts.users,
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
  };
}
