/**
 * A quick manual check of the web UI: an in-memory seeded Acme app (`createTestApp`) served with
 * the built UI. `npm run build:web && npx tsx src/web/dev-server.ts [port]`; Ctrl+C stops it.
 */
import { createTestApp } from '../app/testing.ts';
import { startServer } from '../http/server.ts';

const app = await createTestApp();
const server = await startServer({ app, port: Number(process.argv[2] ?? 8787) });
console.log(`Behalf UI on ${server.url} (in-memory Acme demo)`);

const stop = async () => {
  await server.close();
  await app.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
