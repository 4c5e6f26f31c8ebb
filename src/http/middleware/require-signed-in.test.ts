import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { errorResponse } from '../error-handler.ts';
import type { HttpEnv } from '../types.ts';
import { requireSignedIn } from './authenticate.ts';

describe('requireSignedIn (issue 8: authentication closed by default)', () => {
  const http = new Hono<HttpEnv>();
  http.onError((error, c) => errorResponse(c, error));
  http.use(
    '/api/*',
    requireSignedIn((method, path) => method === 'GET' && path === '/api/open'),
  );
  // A handler that forgets to ask who is calling is still behind the guard.
  http.get('/api/forgetful', (c) => c.json({ secret: 'handler ran' }));
  http.get('/api/open', (c) => c.json({ ok: true }));

  it('refuses an anonymous request to a route that never checks authentication', async () => {
    const response = await http.request('/api/forgetful');
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain('handler ran');
  });

  it('lets an anonymous request reach a listed public route, by method and exact path', async () => {
    expect((await http.request('/api/open')).status).toBe(200);
    expect((await http.request('/api/open', { method: 'POST' })).status).toBe(401);
    expect((await http.request('/api/open/more')).status).toBe(401);
  });
});
