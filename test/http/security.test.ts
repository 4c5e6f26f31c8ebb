import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicApiRoute, PUBLIC_API_ROUTES } from '../../src/http/public-routes.ts';
import { hashSessionToken } from '../../src/identity/session-service.ts';
import type { AuditResponse, PostMessageResponse, RunWire, ThreadWire } from '../../src/protocol/wire.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { createHttpFixture, type HttpFixture, type SignedIn } from './http-fixture.ts';

/**
 * HTTP security (issue 3 point 6): unauthenticated access, IDOR, CSRF, session fixation and
 * credentials in URLs. WebSocket origin and pre-upgrade checks are in `websocket.test.ts`.
 */

const Q3 = ACME_THREAD.id;

/**
 * Every route of the API, read from the router's own route table (so a route added later is
 * covered without anyone listing it), with a concrete path for each parameter and a body that
 * would pass validation where one is known — to prove authentication comes first.
 */
const routeTable = await (async () => {
  const fixture = await createHttpFixture();
  const routes = fixture.http.routes
    .filter((route) => route.method !== 'ALL' && route.path.startsWith('/api/'))
    .map((route) => ({ method: route.method, path: route.path }));
  await fixture.close();
  return routes;
})();
const BODIES: Record<string, unknown> = {
  'POST /api/threads': { title: 'x', members: [] },
  'PATCH /api/threads/:id': { title: 'owned' },
  'POST /api/threads/:id/members': { user: 'dana' },
  'POST /api/threads/:id/messages': { text: 'hello' },
  'POST /api/approvals/:id': { approve: true },
  'POST /api/agents': { id: 'mine', name: 'Mine', groups: ['hr'], assigners: ['hr'] },
  'PUT /api/connectors/:server': { accessToken: 'x' },
};
const concrete = (path: string) =>
  path.replace(':id', path.startsWith('/api/threads') ? Q3 : 'x_1').replace(/:([a-z]+)/g, 'bob');
const ROUTES: Array<[method: string, path: string, body?: unknown]> = routeTable
  .filter((route) => !isPublicApiRoute(route.method, route.path))
  .map((route) => [route.method, concrete(route.path), BODIES[`${route.method} ${route.path}`]]);

async function codeOf(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe('HTTP security', () => {
  let f: HttpFixture;
  let alice: SignedIn;
  let bob: SignedIn;
  let dana: SignedIn;
  /** alice's private thread with dana, its agent run, the private answer and a pending approval. */
  let secret: { thread: string; run: string; answer: string; approval: string; title: string };

  beforeAll(async () => {
    f = await createHttpFixture({ agentInvocationsPerMinute: 1000 });
    [alice, bob, dana] = await Promise.all([f.signIn('alice'), f.signIn('bob'), f.signIn('dana')]);
    const title = 'Layoff planning 7f3a';
    const thread = (await (
      await f.call('POST', '/api/threads', { as: alice, body: { title, members: ['dana'] } })
    ).json()) as ThreadWire;
    const asked = (await (
      await f.call('POST', `/api/threads/${thread.id}/messages`, {
        as: alice,
        body: { text: '@agent what are the salaries?' },
      })
    ).json()) as PostMessageResponse;
    await f.app.drain();
    const run = (await (await f.call('GET', `/api/runs/${asked.run?.id}`, { as: alice })).json()) as RunWire;
    await f.call('POST', `/api/threads/${thread.id}/messages`, {
      as: alice,
      body: { text: '@agent /tool create_ticket {"title":"Secret ticket","body":"x","severity":"low"}' },
    });
    let approval: string | undefined;
    for (let attempt = 0; attempt < 500 && !approval; attempt += 1) {
      approval = (await f.app.store.approvals.listPending({ requesterId: 'alice' }))[0]?.id;
      if (!approval) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    secret = {
      thread: thread.id,
      run: run.id,
      answer: run.answerMessageId as string,
      approval: approval as string,
      title,
    };
  });
  afterAll(async () => {
    // Answer the approval left pending, so the run can end and the app drain.
    await f.call('POST', `/api/approvals/${secret.approval}`, { as: alice, body: { approve: false } });
    await f.close();
  });

  describe('unauthenticated access', () => {
    it('the route table is read from the router: every public route exists, and everything else is covered', () => {
      expect(ROUTES.length).toBeGreaterThan(25);
      for (const route of PUBLIC_API_ROUTES) expect(routeTable).toContainEqual(route);
      expect(ROUTES.length + PUBLIC_API_ROUTES.length).toBe(routeTable.length);
    });

    it.each(ROUTES)('%s %s → 401 without credentials', async (method, path, body) => {
      const response = await f.call(method, path, { body });
      expect(response.status).toBe(401);
      expect(await codeOf(response)).toBe('unauthenticated');
    });

    it.each(ROUTES)('%s %s → 401 with a forged, expired-format or malformed token', async (method, path, body) => {
      for (const authorization of [
        'Bearer forged-token',
        `Bearer ${'A'.repeat(43)}`,
        'Basic YWxpY2U6YWxpY2U=',
        'Bearer',
      ]) {
        const response = await f.call(method, path, { body, headers: { authorization } });
        expect(response.status, authorization).toBe(401);
      }
    });

    it('a forged session cookie is anonymous, never someone', async () => {
      const response = await f.call('GET', '/api/me', { headers: { cookie: `behalf_session=${'B'.repeat(43)}` } });
      expect(response.status).toBe(401);
    });
  });

  describe('IDOR: bob on alice’s things', () => {
    it('her thread, its messages, members, approvals: 404, nothing leaked', async () => {
      const attempts: Array<[string, string, unknown?]> = [
        ['GET', `/api/threads/${secret.thread}`],
        ['PATCH', `/api/threads/${secret.thread}`, { title: 'mine now' }],
        ['POST', `/api/threads/${secret.thread}/members`, { user: 'bob' }],
        ['DELETE', `/api/threads/${secret.thread}/members/dana`],
        ['GET', `/api/threads/${secret.thread}/messages`],
        ['POST', `/api/threads/${secret.thread}/messages`, { text: '@agent what are the salaries?' }],
        ['GET', `/api/threads/${secret.thread}/approvals`],
      ];
      for (const [method, path, body] of attempts) {
        const response = await f.call(method, path, { as: bob, body });
        const text = await response.text();
        expect(response.status, `${method} ${path}`).toBe(404);
        expect(text).not.toContain(secret.title);
        expect(text).not.toContain('dana');
      }
      const thread = await f.app.store.threads.get(secret.thread);
      expect(thread?.title).toBe(secret.title);
      expect((await f.app.store.threads.members(secret.thread)).sort()).toEqual(['alice', 'dana']);
    });

    it('her run, her answer (share and preview) and her approval: 404', async () => {
      for (const [method, path, body] of [
        ['GET', `/api/runs/${secret.run}`],
        ['GET', `/api/messages/${secret.answer}/share`],
        ['POST', `/api/messages/${secret.answer}/share`],
        ['POST', `/api/approvals/${secret.approval}`, { approve: true, always: true }],
      ] as Array<[string, string, unknown?]>) {
        const response = await f.call(method, path, { as: bob, body });
        expect(response.status, `${method} ${path}`).toBe(404);
        expect(await codeOf(response)).toBe('not_found');
      }
      expect((await f.app.store.approvals.get(secret.approval))?.status).toBe('pending');
      expect(await f.app.store.approvals.hasStanding('bob', 'create_ticket')).toBe(false);
    });

    it('a member who is not the requester cannot decide her approval (404) or share her answer (403)', async () => {
      expect(
        (await f.call('POST', `/api/approvals/${secret.approval}`, { as: dana, body: { approve: true } })).status,
      ).toBe(404);
      // dana (finance) is cleared for the answer, so she knows it exists: sharing it is forbidden, not hidden.
      const share = await f.call('POST', `/api/messages/${secret.answer}/share`, { as: dana });
      expect(share.status).toBe(403);
      expect(await codeOf(share)).toBe('forbidden');
      expect((await f.app.store.messages.get(secret.answer))?.sharedBy).toBeNull();
    });

    it('her audit records: 403 by user; by thread or run, bob gets only his own (none)', async () => {
      expect((await f.call('GET', '/api/audit?user=alice', { as: bob })).status).toBe(403);
      for (const query of [`thread=${secret.thread}`, `run=${secret.run}`]) {
        const response = await f.call('GET', `/api/audit?${query}`, { as: bob });
        expect(response.status).toBe(200);
        expect(((await response.json()) as AuditResponse).records).toEqual([]);
      }
      const exported = await (await f.call('GET', '/api/audit/export', { as: bob })).text();
      expect(exported).not.toContain(secret.thread);
      expect((await f.call('GET', '/api/audit/verify', { as: bob })).status).toBe(403);
    });
  });

  describe('CSRF', () => {
    it('refuses a cookie-authenticated write without the header or with a wrong one', async () => {
      for (const csrf of [null, 'wrong', `${alice.csrfToken}x`, bob.csrfToken]) {
        const response = await f.call('POST', `/api/threads/${Q3}/messages`, {
          as: { cookie: alice, csrf },
          body: { text: 'forged' },
        });
        expect(response.status, String(csrf)).toBe(403);
        expect(await codeOf(response)).toBe('csrf_failed');
      }
      const logout = await f.call('DELETE', '/api/session', { as: { cookie: alice, csrf: null } });
      expect(logout.status).toBe(403);
      const messages = await f.app.store.messages.list(Q3);
      expect(messages.some((message) => message.text === 'forged')).toBe(false);
    });

    it('accepts the cookie with the right header; reads need none; Bearer requests are exempt', async () => {
      expect(
        (await f.call('POST', `/api/threads/${Q3}/messages`, { as: { cookie: alice }, body: { text: 'with token' } }))
          .status,
      ).toBe(201);
      expect((await f.call('GET', '/api/threads', { as: { cookie: alice, csrf: null } })).status).toBe(200);
      expect(
        (await f.call('POST', `/api/threads/${Q3}/messages`, { as: alice, body: { text: 'bearer' } })).status,
      ).toBe(201);
    });
  });

  describe('sessions', () => {
    it('stores only a hash of the token', async () => {
      const carol = await f.signIn('carol');
      expect(await f.app.store.sessions.get(carol.token)).toBeUndefined();
      expect(await f.app.store.sessions.get(hashSessionToken(carol.token))).toMatchObject({ userId: 'carol' });
    });

    it('session fixation: a planted cookie is never adopted, and login replaces the old session', async () => {
      const planted = 'P'.repeat(43);
      const login = await f.call('POST', '/api/session', {
        body: { user: 'carol' },
        headers: { cookie: `behalf_session=${planted}` },
      });
      const body = (await login.json()) as { token: string };
      expect(body.token).not.toBe(planted);
      expect(login.headers.get('set-cookie')).toContain(`behalf_session=${body.token}`);
      expect((await f.call('GET', '/api/me', { headers: { cookie: `behalf_session=${planted}` } })).status).toBe(401);

      const before = await f.signIn('carol');
      const again = await f.call('POST', '/api/session', {
        body: { user: 'carol' },
        headers: { cookie: before.cookie },
      });
      const after = (await again.json()) as { token: string };
      expect(after.token).not.toBe(before.token);
      expect((await f.call('GET', '/api/me', { as: before })).status).toBe(401);
      expect((await f.call('GET', '/api/me', { headers: { authorization: `Bearer ${after.token}` } })).status).toBe(
        200,
      );
    });

    it('an expired session is refused', async () => {
      const { SessionService } = await import('../../src/identity/session-service.ts');
      const clock = { now: () => Date.now() };
      const sessions = new SessionService({
        sessions: f.app.store.sessions,
        users: f.app.store.users,
        clock,
        ttlMs: 1000,
      });
      const issued = await sessions.issue('bob');
      expect(await sessions.authenticate(issued.token)).toBeDefined();
      clock.now = () => Date.now() + 2000;
      expect(await sessions.authenticate(issued.token)).toBeUndefined();
    });
  });

  describe('credentials in URLs', () => {
    it.each(['token', 'access_token', 'TOKEN', 'Access_Token'])(
      'refuses ?%s= even when valid, before anything else',
      async (name) => {
        const response = await f.call('GET', `/api/me?${name}=${alice.token}`);
        expect(response.status).toBe(400);
        expect(await codeOf(response)).toBe('bad_request');
        const withHeader = await f.call('GET', `/api/threads?${name}=${alice.token}`, { as: alice });
        expect(withHeader.status).toBe(400);
      },
    );
  });

  it('sets defensive headers on API responses', async () => {
    const response = await f.call('GET', '/api/me', { as: alice });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });
});
