import { openDeployment } from '../../app/open-deployment.ts';
import { loadSecretKey } from '../../delegation/connector-credentials-key.ts';
import { tokenExchangeSettingsFromEnv } from '../../delegation/token-exchange-settings.ts';
import { ACME_USERS } from '../../demo/acme.ts';
import { edgeSettingsFromEnv } from '../../http/edge-settings.ts';
import { startServer } from '../../http/server.ts';
import { oidcSettingsFromEnv } from '../../identity/oidc/oidc-settings.ts';
import { EXIT } from '../exit-codes.ts';
import { freePort } from '../free-port.ts';
import type { CommandOutput } from '../output.ts';

/**
 * `behalf serve`: opens the deployment (seeding Acme on first run), serves the web app, API and
 * WebSockets, prints the URL and the demo people, and shuts down cleanly on SIGINT/SIGTERM.
 */
export async function serveCommand(
  options: { port: number; host: string; data: string },
  output: CommandOutput,
): Promise<number> {
  // OIDC and the edge settings are checked before anything opens: a bad setting refuses to start.
  const oidc = oidcSettingsFromEnv(process.env);
  const edge = edgeSettingsFromEnv(process.env);
  // The issuer names this server's URL, so an OS-chosen port is chosen before anything opens.
  const port = options.port === 0 && !process.env.BEHALF_PUBLIC_URL ? await freePort(options.host) : options.port;
  const deployment = await openDeployment({
    dataDir: options.data,
    env: process.env,
    // Only the embedded SQLite store is owned by this process; PostgreSQL is shared.
    exclusive: !process.env.DATABASE_URL,
    serve: true,
    issuer:
      process.env.BEHALF_PUBLIC_URL ?? `http://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${port}`,
    onProgress: output.progress,
  });
  const server = await (async () => {
    const mcpResources = deployment.app.mcpServers.map((server) => server.resource);
    const personal = deployment.app.mcpServers.filter((server) => server.credential === 'per-user-oauth');
    const credentials = deployment.app.connectorCredentials;
    return startServer({
      ...(credentials && personal.length > 0 ? { connectors: { credentials, servers: personal } } : {}),
      app: deployment.app,
      auditCheckpoints: deployment.checkpoints,
      port,
      host: options.host,
      oidc,
      oauth: tokenExchangeSettingsFromEnv(process.env, mcpResources),
      ...(edge.trustedProxies ? { trustedProxies: edge.trustedProxies } : {}),
      ...(edge.maxConnectionsPerUser ? { realtime: { maxConnectionsPerUser: edge.maxConnectionsPerUser } } : {}),
      ...(oidc
        ? { oidcSecret: await loadSecretKey({ configured: process.env.BEHALF_SECRET_KEY, dataDir: options.data }) }
        : {}),
    });
  })().catch(async (error) => {
    await deployment.close();
    throw error;
  });
  // Listening for a stop before announcing the URL: a supervisor may signal as soon as it reads it.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  deployment.onEventsResync(() => server.hub.resyncAll());
  output.out(`Behalf is serving ${server.url}  (model: ${deployment.modelName}, data: ${options.data})`);
  for (const server of deployment.app.mcpServers) {
    output.out(
      server.status === 'connected'
        ? `MCP server ${server.name}: ${server.tools.length} tools (${server.tools.join(', ')})`
        : `MCP server ${server.name}: not connected — ${server.error ?? 'unknown error'}; its tools are unavailable`,
    );
  }
  if (deployment.recoveredRuns > 0)
    output.out(`Ended ${deployment.recoveredRuns} runs interrupted by the previous stop.`);
  if (oidc) output.out(`Sign in with OpenID Connect at ${oidc.issuer} (dev login is off).`);
  else {
    output.out('Sign in as one of the Acme people:');
    for (const user of ACME_USERS)
      output.out(`  ${user.id.padEnd(6)} ${user.name}, ${user.title} (${user.groups.join(', ')})`);
  }
  await stopped;
  output.progress('Stopping…');
  await server.close();
  await deployment.close();
  return EXIT.ok;
}
