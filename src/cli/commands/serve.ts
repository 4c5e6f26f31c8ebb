import { serveDeployment } from '../../app/serve-deployment.ts';
import { EXIT } from '../exit-codes.ts';
import { freePort } from '../free-port.ts';
import type { CommandOutput } from '../output.ts';

/**
 * `behalf serve`: opens the deployment (seeding the workspace on first run), serves the web app, API and
 * WebSockets, prints the URL and the demo people, and shuts down cleanly on SIGINT/SIGTERM.
 */
export async function serveCommand(
  options: { port: number; host: string; data: string; workspace: string },
  output: CommandOutput,
): Promise<number> {
  const { deployment, server, oidc, close } = await serveDeployment({
    dataDir: options.data,
    workspace: options.workspace,
    host: options.host,
    port: options.port,
    env: process.env,
    freePort,
    onProgress: output.progress,
  });
  // Listening for a stop before announcing the URL: a supervisor may signal as soon as it reads it.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  output.out(
    `Behalf is serving ${server.url}  (workspace: ${deployment.workspace.config.name}, model: ${deployment.modelName}, data: ${options.data})`,
  );
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
    const { people, name } = deployment.workspace.config;
    output.out(`Sign in as one of the ${name} people:`);
    const width = Math.max(6, ...people.map((person) => person.id.length));
    for (const person of people)
      output.out(
        `  ${person.id.padEnd(width)} ${person.name}${person.title ? `, ${person.title}` : ''} (${person.groups.join(', ')})`,
      );
  }
  await stopped;
  output.progress('Stopping…');
  await close();
  return EXIT.ok;
}
