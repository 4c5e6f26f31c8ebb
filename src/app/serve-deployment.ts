import { loadSecretKey } from '../delegation/connector-credentials-key.ts';
import { tokenExchangeSettingsFromEnv } from '../delegation/token-exchange-settings.ts';
import type { RunningServer } from '../http/server.ts';
import { startServer } from '../http/server.ts';
import type { OidcSettings } from '../identity/oidc/oidc-settings.ts';
import { oidcSettingsFromEnv } from '../identity/oidc/oidc-settings.ts';
import { scimSettingsFromEnv } from '../identity/scim/scim-settings.ts';
import { edgeSettingsFromEnv } from './edge-settings.ts';
import { type Deployment, openDeployment } from './open-deployment.ts';

/** What `behalf serve` asks for; everything else comes from the environment, read here. */
export interface ServeOptions {
  dataDir: string;
  /** The workspace directory served (default: `BEHALF_WORKSPACE`, else the shipped example). */
  workspace?: string;
  host: string;
  /** 0 picks a free port before anything opens (the grant issuer names the URL). */
  port: number;
  env: Record<string, string | undefined>;
  /** Picks a free port on `host` (the CLI's `freePort`). */
  freePort(host: string): Promise<number>;
  onProgress?: (line: string) => void;
}

/** A serving deployment: the engine, the listening server, and how people sign in. */
export interface ServedDeployment {
  deployment: Deployment;
  server: RunningServer;
  /** OpenID Connect login when configured (dev login is then off). */
  oidc: OidcSettings | null;
  close(): Promise<void>;
}

/**
 * Opens the deployment and serves it (the composition root of `behalf serve`): every setting is
 * read from `env` here — OIDC, SCIM, the edge's proxies and socket cap, OAuth clients, the public URL,
 * the deployment secret — and checked before anything opens, so a bad setting refuses to start.
 */
export async function serveDeployment(options: ServeOptions): Promise<ServedDeployment> {
  const { env } = options;
  const oidc = oidcSettingsFromEnv(env);
  const edge = edgeSettingsFromEnv(env);
  const scim = scimSettingsFromEnv(env);
  const publicUrl = env.BEHALF_PUBLIC_URL?.trim() || undefined;
  const port = options.port === 0 && !publicUrl ? await options.freePort(options.host) : options.port;
  const deployment = await openDeployment({
    dataDir: options.dataDir,
    ...(options.workspace ? { workspace: options.workspace } : {}),
    env,
    // Only the embedded SQLite store is owned by this process; PostgreSQL is shared.
    exclusive: !env.DATABASE_URL,
    serve: true,
    issuer: publicUrl ?? `http://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${port}`,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  try {
    const mcpResources = deployment.app.mcpServers.map((server) => server.resource);
    const personal = deployment.app.mcpServers.filter((server) => server.credential === 'per-user-oauth');
    const credentials = deployment.app.connectorCredentials;
    const server = await startServer({
      ...(credentials && personal.length > 0 ? { connectors: { credentials, servers: personal } } : {}),
      app: deployment.app,
      auditCheckpoints: deployment.checkpoints,
      port,
      host: options.host,
      oidc,
      oauth: tokenExchangeSettingsFromEnv(env, mcpResources),
      ...(scim ? { scim } : {}),
      ...(edge.trustedProxies ? { trustedProxies: edge.trustedProxies } : {}),
      ...(edge.maxConnectionsPerUser ? { realtime: { maxConnectionsPerUser: edge.maxConnectionsPerUser } } : {}),
      ...(oidc
        ? { oidcSecret: await loadSecretKey({ configured: env.BEHALF_SECRET_KEY, dataDir: options.dataDir }) }
        : {}),
    });
    deployment.onEventsResync(() => server.hub.resyncAll());
    return {
      deployment,
      server,
      oidc,
      async close() {
        await server.close();
        await deployment.close();
      },
    };
  } catch (error) {
    await deployment.close();
    throw error;
  }
}
