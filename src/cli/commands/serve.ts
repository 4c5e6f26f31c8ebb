import { openDeployment } from '../../app/open-deployment.ts';
import { ACME_USERS } from '../../demo/acme.ts';
import { startServer } from '../../http/server.ts';
import { EXIT } from '../exit-codes.ts';
import type { CommandOutput } from '../output.ts';

/**
 * `behalf serve`: opens the deployment (seeding Acme on first run), serves the web app, API and
 * WebSockets, prints the URL and the demo people, and shuts down cleanly on SIGINT/SIGTERM.
 */
export async function serveCommand(options: { port: number; host: string; data: string }, output: CommandOutput): Promise<number> {
  const deployment = await openDeployment({
    dataDir: options.data,
    env: process.env,
    exclusive: true,
    onProgress: output.progress,
  });
  const server = await startServer({ app: deployment.app, port: options.port, host: options.host }).catch(async (error) => {
    await deployment.close();
    throw error;
  });
  output.out(`Behalf is serving ${server.url}  (model: ${deployment.modelName}, data: ${options.data})`);
  for (const server of deployment.app.mcpServers) {
    output.out(
      server.status === 'connected'
        ? `MCP server ${server.name}: ${server.tools.length} tools (${server.tools.join(', ')})`
        : `MCP server ${server.name}: not connected — ${server.error ?? 'unknown error'}; its tools are unavailable`,
    );
  }
  if (deployment.recoveredRuns > 0) output.out(`Ended ${deployment.recoveredRuns} runs interrupted by the previous stop.`);
  output.out('Sign in as one of the Acme people:');
  for (const user of ACME_USERS) output.out(`  ${user.id.padEnd(6)} ${user.name}, ${user.title} (${user.groups.join(', ')})`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  output.progress('Stopping…');
  await server.close();
  await deployment.close();
  return EXIT.ok;
}
