import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApprovalResponse,
  ApprovalsResponse,
  AuditResponse,
  AuditVerifyResponse,
  DevUsersResponse,
  MeResponse,
  MessagesResponse,
  PostMessageResponse,
  RunWire,
  SharePreviewWire,
  ShareResponse,
  ThreadsResponse,
  ThreadWire,
  ToolsResponse,
  UsersResponse,
} from '../../src/protocol/wire.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { createHttpFixture, type HttpFixture, type SignedIn } from './http-fixture.ts';

const Q3 = ACME_THREAD.id;

async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

async function expectError(response: Response, status: number, code: string): Promise<void> {
  const body = await json<{ error: { code: string; message: string } }>(response, status);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
}

/** Polls until `check` holds (runs execute in the background). */
async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('HTTP API routes (SPEC §6)', () => {
  let f: HttpFixture;
  let alice: SignedIn;
  let bob: SignedIn;
  let carol: SignedIn;
  let dana: SignedIn;
  let ivy: SignedIn;

  beforeAll(async () => {
    f = await createHttpFixture({ agentInvocationsPerMinute: 1000 });
    [alice, bob, carol, dana, ivy] = await Promise.all([
      f.signIn('alice'),
      f.signIn('bob'),
      f.signIn('carol'),
      f.signIn('dana'),
      f.signIn('ivy'),
    ]);
  });
  afterAll(async () => {
    await f.close();
  });

  describe('sessions', () => {
    it('dev login returns the user, a token and a CSRF token, and sets an HttpOnly SameSite=Lax cookie', async () => {
      const response = await f.call('POST', '/api/session', { body: { user: 'carol' } });
      const body = await json<{ user: { id: string; name: string }; token: string; csrfToken: string }>(response, 200);
      expect(body.user).toEqual({ id: 'carol', name: 'Carol Diaz', title: 'Staff engineer', groups: ['engineering'] });
      expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const cookie = response.headers.get('set-cookie') ?? '';
      expect(cookie).toContain(`behalf_session=${body.token}`);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).toMatch(/Path=\//);
      expect(cookie).not.toMatch(/Secure/);
    });

    it('marks the cookie Secure when the request is https', async () => {
      const response = await f.http.request('https://behalf.example/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'carol' }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('set-cookie')).toMatch(/Secure/);
    });

    it('refuses unknown users, malformed bodies and extra fields', async () => {
      await expectError(await f.call('POST', '/api/session', { body: { user: 'mallory' } }), 401, 'unauthenticated');
      await expectError(await f.call('POST', '/api/session', { body: '{"user":' }), 400, 'bad_request');
      await expectError(
        await f.call('POST', '/api/session', { body: { user: 'bob', admin: true } }),
        400,
        'validation_failed',
      );
      await expectError(
        await f.call('POST', '/api/session', {
          body: 'user=bob',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
        400,
        'bad_request',
      );
    });

    it('lists the people one can sign in as while dev login is on', async () => {
      const body = await json<DevUsersResponse>(await f.call('GET', '/api/session/dev-users'), 200);
      expect(body.users.map((user) => user.id)).toEqual(expect.arrayContaining(['alice', 'bob', 'ivy']));
      expect(body.users.find((user) => user.id === 'ivy')).toEqual({
        id: 'ivy',
        name: 'Ivy Park',
        title: 'Compliance',
        groups: ['auditors'],
      });
    });

    it('GET /api/me names the caller and whether they read the audit log', async () => {
      const me = await json<MeResponse>(await f.call('GET', '/api/me', { as: alice }), 200);
      expect(me).toMatchObject({ user: { id: 'alice' }, csrfToken: null, canReadAudit: false });
      const viaCookie = await json<MeResponse>(await f.call('GET', '/api/me', { as: { cookie: ivy } }), 200);
      expect(viaCookie).toMatchObject({ user: { id: 'ivy' }, csrfToken: ivy.csrfToken, canReadAudit: true });
    });

    it('DELETE /api/session logs out: the token stops working', async () => {
      const gus = await f.signIn('gus');
      const response = await f.call('DELETE', '/api/session', { as: gus });
      expect(response.status).toBe(204);
      expect(response.headers.get('set-cookie')).toMatch(/behalf_session=;.*Max-Age=0/);
      await expectError(await f.call('GET', '/api/me', { as: gus }), 401, 'unauthenticated');
    });
  });

  describe('dev login off (OIDC configured)', () => {
    it('answers 404 for dev login and the dev people list', async () => {
      const { createHttpApp } = await import('../../src/http/create-http-app.ts');
      const http = createHttpApp(f.app, { devLogin: false });
      const login = await http.request('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'alice' }),
      });
      await expectError(login, 404, 'not_found');
      await expectError(await http.request('/api/session/dev-users'), 404, 'not_found');
      // Existing sessions still work: dev login being off only stops new dev logins.
      const me = await http.request('/api/me', { headers: { authorization: `Bearer ${alice.token}` } });
      expect(me.status).toBe(200);
    });
  });

  it('GET /api/users lists people for member management', async () => {
    const body = await json<UsersResponse>(await f.call('GET', '/api/users', { as: bob }), 200);
    expect(body.users).toHaveLength(8);
    expect(body.users[0]).toEqual({
      id: 'alice',
      name: 'Alice Chen',
      title: 'HR director',
      groups: ['hr', 'managers'],
    });
  });

  describe('threads and members', () => {
    let created: ThreadWire;

    it('lists the caller’s threads', async () => {
      const body = await json<ThreadsResponse>(await f.call('GET', '/api/threads', { as: bob }), 200);
      expect(body.threads.map((thread) => thread.id)).toContain(Q3);
      const danas = await json<ThreadsResponse>(await f.call('GET', '/api/threads', { as: dana }), 200);
      expect(danas.threads.map((thread) => thread.id)).not.toContain(Q3);
    });

    it('creates a thread owned by the caller, with them as a member', async () => {
      created = await json<ThreadWire>(
        await f.call('POST', '/api/threads', { as: alice, body: { title: '  Offsite  ', members: ['dana'] } }),
        201,
      );
      expect(created).toMatchObject({ title: 'Offsite', ownerId: 'alice', mode: 'user', agentId: null });
      expect(created.members?.sort()).toEqual(['alice', 'dana']);
      await expectError(
        await f.call('POST', '/api/threads', { as: alice, body: { title: 'x', members: ['nobody'] } }),
        404,
        'not_found',
      );
      await expectError(
        await f.call('POST', '/api/threads', { as: alice, body: { title: '' } }),
        400,
        'validation_failed',
      );
    });

    it('gets a thread with its members', async () => {
      const thread = await json<ThreadWire>(await f.call('GET', `/api/threads/${created.id}`, { as: dana }), 200);
      expect(thread.members?.sort()).toEqual(['alice', 'dana']);
      await expectError(await f.call('GET', '/api/threads/thr_nope', { as: dana }), 404, 'not_found');
      await expectError(await f.call('GET', '/api/threads/bad%20id', { as: dana }), 400, 'validation_failed');
    });

    it('PATCH renames and changes the mode (owner only; the mode change is audited)', async () => {
      const renamed = await json<ThreadWire>(
        await f.call('PATCH', `/api/threads/${created.id}`, {
          as: alice,
          body: { title: 'Offsite 2026', mode: 'self' },
        }),
        200,
      );
      expect(renamed).toMatchObject({ title: 'Offsite 2026', mode: 'self' });
      await f.app.audit.drain();
      const records = await f.app.store.audit.query({ threadId: created.id, action: 'thread.mode' });
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ requester: 'alice', reason: 'user → self' });
      await expectError(
        await f.call('PATCH', `/api/threads/${created.id}`, { as: dana, body: { mode: 'user' } }),
        403,
        'forbidden',
      );
      await expectError(
        await f.call('PATCH', `/api/threads/${created.id}`, { as: alice, body: {} }),
        400,
        'validation_failed',
      );
      await expectError(
        await f.call('PATCH', `/api/threads/${created.id}`, { as: alice, body: { mode: 'root' } }),
        400,
        'validation_failed',
      );
    });

    it('adds and removes members; the owner cannot be removed', async () => {
      const added = await json<ThreadWire>(
        await f.call('POST', `/api/threads/${created.id}/members`, { as: alice, body: { user: 'frank' } }),
        200,
      );
      expect(added.members).toContain('frank');
      await expectError(
        await f.call('POST', `/api/threads/${created.id}/members`, { as: dana, body: { user: 'gus' } }),
        403,
        'forbidden',
      );
      expect((await f.call('DELETE', `/api/threads/${created.id}/members/frank`, { as: alice })).status).toBe(204);
      await expectError(
        await f.call('DELETE', `/api/threads/${created.id}/members/frank`, { as: alice }),
        404,
        'not_found',
      );
      await expectError(
        await f.call('DELETE', `/api/threads/${created.id}/members/alice`, { as: alice }),
        409,
        'conflict',
      );
      // A member may leave on their own.
      expect((await f.call('DELETE', `/api/threads/${created.id}/members/dana`, { as: dana })).status).toBe(204);
      await expectError(await f.call('GET', `/api/threads/${created.id}`, { as: dana }), 404, 'not_found');
    });
  });

  it('GET /api/tools lists tools with JSON Schemas and which need approval', async () => {
    const body = await json<ToolsResponse>(await f.call('GET', '/api/tools', { as: carol }), 200);
    const names = body.tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['sql', 'create_ticket']));
    const ticket = body.tools.find((tool) => tool.name === 'create_ticket');
    expect(ticket).toMatchObject({ effect: 'write', needsApproval: true });
    expect(ticket?.inputSchema).toMatchObject({ type: 'object' });
    expect(body.tools.find((tool) => tool.name === 'sql')).toMatchObject({ effect: 'read', needsApproval: false });
  });

  describe('messages, runs and sharing', () => {
    let answerId: string;
    let runId: string;

    it('posts a plain message (no run) and lists it', async () => {
      const posted = await json<PostMessageResponse>(
        await f.call('POST', `/api/threads/${Q3}/messages`, { as: bob, body: { text: 'Morning all' } }),
        201,
      );
      expect(posted.message).toMatchObject({ kind: 'human', authorId: 'bob', text: 'Morning all', labels: ['public'] });
      expect(posted.run).toBeUndefined();
      const list = await json<MessagesResponse>(await f.call('GET', `/api/threads/${Q3}/messages`, { as: carol }), 200);
      expect(list.messages.some((message) => message.id === posted.message.id)).toBe(true);
      await expectError(
        await f.call('POST', `/api/threads/${Q3}/messages`, { as: bob, body: { text: '' } }),
        400,
        'validation_failed',
      );
      await expectError(
        await f.call('POST', `/api/threads/${Q3}/messages`, { as: dana, body: { text: 'hi' } }),
        404,
        'not_found',
      );
    });

    it('an @agent message starts a run bound to its author; the private answer is a placeholder for others', async () => {
      const posted = await json<PostMessageResponse>(
        await f.call('POST', `/api/threads/${Q3}/messages`, {
          as: alice,
          body: { text: '@agent what are the salaries?' },
        }),
        201,
      );
      expect(posted.run).toMatchObject({ requesterId: 'alice', threadId: Q3 });
      runId = posted.run?.id as string;
      await f.app.drain();
      const run = await json<RunWire>(await f.call('GET', `/api/runs/${runId}`, { as: alice }), 200);
      expect(run.status).toBe('done');
      expect(run.steps?.some((step) => step.kind === 'tool-call')).toBe(true);
      answerId = run.answerMessageId as string;

      const mine = await json<MessagesResponse>(await f.call('GET', `/api/threads/${Q3}/messages`, { as: alice }), 200);
      const answer = mine.messages.find((message) => message.id === answerId);
      expect(answer).toMatchObject({
        kind: 'agent',
        requesterId: 'alice',
        audience: { kind: 'users', users: ['alice'] },
      });
      expect(answer && 'privateReason' in answer && answer.privateReason).toMatch(/hr-confidential/);

      const bobs = await json<MessagesResponse>(await f.call('GET', `/api/threads/${Q3}/messages`, { as: bob }), 200);
      const hidden = bobs.messages.find((message) => message.id === answerId);
      expect(hidden).toMatchObject({ hidden: true, requesterId: 'alice' });
      expect(hidden && 'text' in hidden).toBe(false);
    });

    it('GET /api/runs/:id: the requester sees the trace, other members a summary', async () => {
      const summary = await json<RunWire>(await f.call('GET', `/api/runs/${runId}`, { as: bob }), 200);
      expect(summary.summary.toolCalls).toBeGreaterThan(0);
      expect(summary.steps).toBeUndefined();
      expect(summary.labels).toBeUndefined();
      await expectError(await f.call('GET', '/api/runs/run_missing', { as: bob }), 404, 'not_found');
    });

    it('share preview names who would newly see what; sharing is refused by policy or done', async () => {
      const preview = await json<SharePreviewWire>(
        await f.call('GET', `/api/messages/${answerId}/share`, { as: alice }),
        200,
      );
      expect(preview.messageId).toBe(answerId);
      expect(preview.newReaders.map((reader) => reader.userId).sort()).toEqual(['bob', 'carol']);
      expect(preview.declassifies).toContain('hr-confidential');
      expect(preview.allowed).toBe(true);
      await expectError(await f.call('GET', `/api/messages/${answerId}/share`, { as: bob }), 404, 'not_found');

      const shared = await json<ShareResponse>(
        await f.call('POST', `/api/messages/${answerId}/share`, { as: alice }),
        200,
      );
      expect(shared.message).toMatchObject({ id: answerId, audience: { kind: 'thread' }, sharedBy: 'alice' });
      await expectError(await f.call('POST', `/api/messages/${answerId}/share`, { as: alice }), 409, 'conflict');
      const bobs = await json<MessagesResponse>(await f.call('GET', `/api/threads/${Q3}/messages`, { as: bob }), 200);
      const nowVisible = bobs.messages.find((message) => message.id === answerId);
      expect(nowVisible).toMatchObject({ sharedBy: 'alice', audience: { kind: 'thread' } });
      expect(nowVisible && 'hidden' in nowVisible).toBe(false);
    });

    it('refuses sharing when policy forbids declassifying (bob cannot declassify his EMEA pipeline answer)', async () => {
      const posted = await json<PostMessageResponse>(
        await f.call('POST', `/api/threads/${Q3}/messages`, {
          as: bob,
          body: { text: '@agent show me the open deals' },
        }),
        201,
      );
      await f.app.drain();
      const run = await json<RunWire>(await f.call('GET', `/api/runs/${posted.run?.id}`, { as: bob }), 200);
      const preview = await json<SharePreviewWire>(
        await f.call('GET', `/api/messages/${run.answerMessageId}/share`, { as: bob }),
        200,
      );
      expect(preview.allowed).toBe(false);
      expect(preview.reason).toBeTruthy();
      await expectError(
        await f.call('POST', `/api/messages/${run.answerMessageId}/share`, { as: bob }),
        403,
        'forbidden',
      );
    });
  });

  describe('approvals', () => {
    it('a write tool pauses the run; only the requester sees and decides the approval', async () => {
      const text = '@agent /tool create_ticket {"title":"Printer on fire","body":"Floor 3","severity":"low"}';
      const posted = await json<PostMessageResponse>(
        await f.call('POST', `/api/threads/${Q3}/messages`, { as: carol, body: { text } }),
        201,
      );
      const runId = posted.run?.id as string;
      await until(async () => (await f.app.store.runs.get(runId))?.status === 'awaiting_approval');

      const mine = await json<ApprovalsResponse>(
        await f.call('GET', `/api/threads/${Q3}/approvals`, { as: carol }),
        200,
      );
      expect(mine.approvals).toHaveLength(1);
      const approval = mine.approvals[0];
      expect(approval).toMatchObject({ tool: 'create_ticket', requesterId: 'carol', runId, status: 'pending' });

      const bobs = await json<ApprovalsResponse>(await f.call('GET', `/api/threads/${Q3}/approvals`, { as: bob }), 200);
      expect(bobs.approvals).toEqual([]);
      await expectError(
        await f.call('POST', `/api/approvals/${approval?.id}`, { as: bob, body: { approve: true } }),
        404,
        'not_found',
      );
      await expectError(
        await f.call('POST', `/api/approvals/${approval?.id}`, { as: carol, body: { approve: 'yes' } }),
        400,
        'validation_failed',
      );
      const decided = await json<ApprovalResponse>(
        await f.call('POST', `/api/approvals/${approval?.id}`, { as: carol, body: { approve: false } }),
        200,
      );
      expect(decided.approval).toMatchObject({ status: 'denied', always: false });
      await expectError(
        await f.call('POST', `/api/approvals/${approval?.id}`, { as: carol, body: { approve: true } }),
        409,
        'conflict',
      );
      await f.app.drain();
      expect((await f.app.store.runs.get(runId))?.status).toBe('done');
    });
  });

  describe('audit', () => {
    it('others see only their own records; asking for someone else’s is 403', async () => {
      const body = await json<AuditResponse>(await f.call('GET', '/api/audit?limit=1000', { as: bob }), 200);
      expect(body.records.length).toBeGreaterThan(0);
      expect(new Set(body.records.map((record) => record.requester))).toEqual(new Set(['bob']));
      await expectError(await f.call('GET', '/api/audit?user=alice', { as: bob }), 403, 'forbidden');
      expect((await f.call('GET', '/api/audit?user=bob', { as: bob })).status).toBe(200);
    });

    it('auditors see everyone’s records, filtered', async () => {
      const all = await json<AuditResponse>(await f.call('GET', '/api/audit?limit=1000', { as: ivy }), 200);
      expect(new Set(all.records.map((record) => record.requester))).toEqual(
        expect.objectContaining({ size: expect.any(Number) }),
      );
      expect(all.records.map((record) => record.requester)).toEqual(expect.arrayContaining(['alice', 'bob', 'carol']));
      const denied = await json<AuditResponse>(
        await f.call('GET', '/api/audit?decision=deny&user=bob', { as: ivy }),
        200,
      );
      for (const record of denied.records) expect(record).toMatchObject({ decision: 'deny', requester: 'bob' });
      const paged = await json<AuditResponse>(await f.call('GET', '/api/audit?after=2&limit=3', { as: ivy }), 200);
      expect(paged.records.map((record) => record.seq)).toEqual([3, 4, 5]);
      await expectError(await f.call('GET', '/api/audit?decision=maybe', { as: ivy }), 400, 'validation_failed');
      await expectError(await f.call('GET', '/api/audit?limit=0', { as: ivy }), 400, 'validation_failed');
      await expectError(await f.call('GET', '/api/audit?colour=red', { as: ivy }), 400, 'validation_failed');
    });

    it('verify: auditors get { ok, count, head }; others 403', async () => {
      const result = await json<AuditVerifyResponse>(await f.call('GET', '/api/audit/verify', { as: ivy }), 200);
      expect(result).toMatchObject({ ok: true });
      expect(result.count).toBe(await f.app.store.audit.count());
      await expectError(await f.call('GET', '/api/audit/verify', { as: alice }), 403, 'forbidden');
    });

    it('export streams JSONL or OpenTelemetry spans; others get their own records only', async () => {
      const response = await f.call('GET', '/api/audit/export', { as: ivy });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/ndjson/);
      const lines = (await response.text()).trim().split('\n');
      expect(lines).toHaveLength(await f.app.store.audit.count());
      expect(JSON.parse(lines[0] as string)).toMatchObject({ seq: 1 });

      const otel = (await (await f.call('GET', '/api/audit/export?format=otel', { as: ivy })).text())
        .trim()
        .split('\n');
      expect(JSON.parse(otel[0] as string)).toMatchObject({ traceId: expect.stringMatching(/^[0-9a-f]{32}$/) });

      const bobs = (await (await f.call('GET', '/api/audit/export', { as: bob })).text()).trim().split('\n');
      expect(bobs.length).toBeGreaterThan(0);
      for (const line of bobs) expect(JSON.parse(line)).toMatchObject({ requester: 'bob' });
      await expectError(await f.call('GET', '/api/audit/export?format=csv', { as: ivy }), 400, 'validation_failed');
    });
  });

  it('GET /.well-known/jwks.json publishes public keys only', async () => {
    const body = await json<{ keys: Array<Record<string, string>> }>(
      await f.call('GET', '/.well-known/jwks.json'),
      200,
    );
    expect(body.keys.length).toBeGreaterThan(0);
    expect(body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(JSON.stringify(body)).not.toContain('"d"');
  });

  it('unknown API routes are JSON 404s', async () => {
    await expectError(await f.call('GET', '/api/nope', { as: alice }), 404, 'not_found');
    await expectError(await f.call('PUT', '/api/threads', { as: alice, body: {} }), 404, 'not_found');
  });

  it('GET /api/ws without a server is refused cleanly before any upgrade', async () => {
    await expectError(await f.call('GET', '/api/ws'), 401, 'unauthenticated');
    await expectError(await f.call('GET', '/api/ws', { as: alice }), 400, 'bad_request');
    await expectError(
      await f.call('GET', '/api/ws', { as: alice, headers: { upgrade: 'websocket', origin: 'https://evil.example' } }),
      403,
      'forbidden',
    );
    await expectError(
      await f.call('GET', '/api/ws', { as: alice, headers: { upgrade: 'websocket' } }),
      503,
      'unavailable',
    );
  });
});

describe('limits', () => {
  let f: HttpFixture;
  let bob: SignedIn;
  beforeAll(async () => {
    f = await createHttpFixture({ agentInvocationsPerMinute: 2, maxBodyBytes: 1024 });
    bob = await f.signIn('bob');
  });
  afterAll(async () => {
    await f.close();
  });

  it('413 for a body over the limit, whatever the route', async () => {
    const big = JSON.stringify({ text: 'x'.repeat(2000) });
    await expectError(
      await f.call('POST', `/api/threads/${Q3}/messages`, { as: bob, body: big }),
      413,
      'payload_too_large',
    );
    await expectError(
      await f.call('POST', '/api/session', { body: JSON.stringify({ user: 'b'.repeat(2000) }) }),
      413,
      'payload_too_large',
    );
  });

  it('429 with Retry-After once a user invokes the agent too often; plain messages still go through', async () => {
    for (let index = 0; index < 2; index += 1) {
      expect(
        (await f.call('POST', `/api/threads/${Q3}/messages`, { as: bob, body: { text: `@agent hello ${index}` } }))
          .status,
      ).toBe(201);
    }
    const limited = await f.call('POST', `/api/threads/${Q3}/messages`, { as: bob, body: { text: '@agent again' } });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect(
      (await f.call('POST', `/api/threads/${Q3}/messages`, { as: bob, body: { text: 'no agent here' } })).status,
    ).toBe(201);
    await f.app.drain();
  });
});
