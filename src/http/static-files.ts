import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import type { HttpEnv } from './types.ts';

/**
 * Serves the built web UI from `webRoot` and falls back to its `index.html` for any other GET
 * outside `/api` (client-side routing). API paths never fall through to the UI: an unknown API
 * route stays a JSON 404.
 */
export function mountWebUi(router: Hono<HttpEnv>, webRoot: string): void {
  const files = serveStatic<HttpEnv>({ root: webRoot });
  const spa = serveStatic<HttpEnv>({ root: webRoot, path: 'index.html' });
  const hasIndex = existsSync(join(webRoot, 'index.html'));
  const nothing = async () => {};
  router.on(['GET', 'HEAD'], '*', async (c, next) => {
    if (isApiPath(c.req.path)) return next();
    const file = (await files(c, nothing)) ?? (hasIndex ? await spa(c, nothing) : undefined);
    if (file) return file;
    return next();
  });
}

/** Whether `path` belongs to the API (JSON, OAuth, SCIM, metadata) rather than to the web UI. */
export function isApiPath(path: string): boolean {
  return (
    path === '/api' ||
    path.startsWith('/api/') ||
    path.startsWith('/.well-known/') ||
    path.startsWith('/oauth/') ||
    path.startsWith('/scim/')
  );
}
