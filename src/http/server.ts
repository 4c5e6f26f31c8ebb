import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createAdaptorServer } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import type { App } from '../app/create-app.ts';
import type { OidcSettings } from '../identity/oidc/oidc-settings.ts';
import { createHttpApp, type HttpAppOptions } from './create-http-app.ts';
import type { RealtimeHub, RealtimeHubOptions } from './realtime/realtime-hub.ts';

/** Options of {@link startServer}. Everything but `app` has a default. */
export interface ServerOptions extends Omit<HttpAppOptions, 'realtime' | 'webRoot' | 'devLogin' | 'oidc'> {
  app: App;
  /** OpenID Connect login (`oidcSettingsFromEnv`); when set, dev login is off whatever `devLogin` says. */
  oidc?: OidcSettings | null;
  /** Secret sealing OIDC login transactions (`loadSecretKey`); shared by every process of a deployment. */
  oidcSecret?: Uint8Array;
  /** Port to listen on (default 8787; 0 picks a free one). */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** Dev login (default true: the embedded default); always off when `oidc` is set. */
  devLogin?: boolean;
  /** The built web UI; default `dist/web` of this package if it exists; `null` serves none. */
  webRoot?: string | null;
  /** Realtime hub tuning (heartbeat, backpressure limits). */
  realtime?: RealtimeHubOptions;
  /** Largest WebSocket frame a client may send, in bytes (default 64 KiB). */
  maxFrameBytes?: number;
}

/** A listening server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  url: string;
  port: number;
  /** The WebSocket hub (stats, tests). */
  hub: RealtimeHub;
  /** Closes every WebSocket, then the HTTP server and its connections. Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));

/**
 * Serves the API, the WebSocket endpoint `GET /api/ws` and the web UI from one Node HTTP server.
 * `@hono/node-server` routes the upgrade through the Hono app, so a WebSocket is authenticated
 * and origin-checked by the same middleware as every request, and refused before it is upgraded.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { app } = options;
  const host = options.host ?? '127.0.0.1';
  const sessions = app.sessions;
  const hub = app.edge.realtimeHub({
    ...options.realtime,
    ...(options.onUnexpectedError && !options.realtime?.onError
      ? { onError: (error: unknown) => options.onUnexpectedError?.(error, { method: 'WS', path: '/api/ws' }) }
      : {}),
  });
  const webRoot =
    options.webRoot === undefined ? (existsSync(DEFAULT_WEB_ROOT) ? DEFAULT_WEB_ROOT : null) : options.webRoot;
  // The default OIDC redirect URI is under this server's own URL, known once it listens.
  let baseUrl = '';
  const oidc = options.oidc
    ? app.edge.oidcLogin(options.oidc, {
        publicUrl: () => baseUrl,
        ...(options.oidcSecret ? { secret: options.oidcSecret } : {}),
      })
    : undefined;
  const http = createHttpApp(app, {
    devLogin: (options.devLogin ?? true) && !oidc,
    ...(oidc ? { oidc } : {}),
    ...(options.oauth ? { oauth: options.oauth } : {}),
    secureCookies: options.secureCookies,
    maxBodyBytes: options.maxBodyBytes,
    agentInvocationsPerMinute: options.agentInvocationsPerMinute,
    allowedOrigins: options.allowedOrigins,
    ...(options.trustedProxies ? { trustedProxies: options.trustedProxies } : {}),
    ...(options.oauthLockout ? { oauthLockout: options.oauthLockout } : {}),
    onUnexpectedError: options.onUnexpectedError,
    realtime: hub,
    ...(options.connectors ? { connectors: options.connectors } : {}),
    ...(options.auditCheckpoints ? { auditCheckpoints: options.auditCheckpoints } : {}),
    ...(options.scim ? { scim: options.scim } : {}),
    ...(webRoot ? { webRoot } : {}),
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes ?? 64 * 1024 });
  const server = createAdaptorServer({ fetch: http.fetch, websocket: { server: sockets } });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const purge = setInterval(() => void sessions.purgeExpired().catch(() => {}), 60 * 60 * 1000);
  purge.unref();
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    port,
    hub,
    close() {
      closing ??= (async () => {
        clearInterval(purge);
        await hub.close();
        sockets.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ('closeAllConnections' in server) server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}
