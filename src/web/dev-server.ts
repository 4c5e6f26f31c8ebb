/**
 * A quick manual check of the web UI: an in-memory app seeded from the default workspace (`createInProcessApp`) served with
 * the built UI. `npm run build:web && npx tsx src/web/dev-server.ts [port]`; Ctrl+C stops it.
 */
import { createInProcessApp } from '../app/in-process-app.ts';
import { startServer } from '../http/server.ts';

const app = await createInProcessApp();
const server = await startServer({ app, port: Number(process.argv[2] ?? 8787) });
console.log(`Behalf UI on ${server.url} (in-memory default workspace)`);

const stop = async () => {
  await server.close();
  await app.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
