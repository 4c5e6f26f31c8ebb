import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/http/server.ts';
import type { PostMessageResponse, SessionResponse } from '../../src/protocol/wire.ts';
import type { McpConnection } from '../../src/tools/mcp/index.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { ask, callWithToken, connectInto, THREAD, toolCallAudit, toolSteps, waitForStatus } from './mcp-fixture.ts';
import { startTestMcpServer, type TestMcpServer } from './test-mcp-server.ts';

/**
 * Issue 4 point 6 against a real peer: MCP tools pass through the gateway, and every call
 * carries a fresh delegation grant for the requester, verified by the MCP server through
 * Behalf's own `/.well-known/jwks.json` (SPEC I2, §11).
 */
describe('MCP tools behind the gateway', () => {
  let app: TestApp;
  let behalf: RunningServer;
  let crm: TestMcpServer;
  let billing: TestMcpServer;
  let connection: McpConnection;

  beforeAll(async () => {
    app = await createTestApp();
    behalf = await startServer({ app, port: 0, webRoot: null });
    const jwksUrl = `${behalf.url}/.well-known/jwks.json`;
    crm = await startTestMcpServer({ issuer: app.grants.issuer, jwksUrl });
    billing = await startTestMcpServer({ issuer: app.grants.issuer, jwksUrl, customerLabels: null });
    connection = await connectInto(app, [
      { name: 'crm', url: crm.url },
      { name: 'billing', url: billing.url, timeoutMs: 5000 },
    ]);
  });
  afterAll(async () => {
    await behalf?.close();
    await crm?.close();
    await billing?.close();
    await app?.close();
  });

  it("lists each server's tools with the official client and registers them under the server's prefix", () => {
    expect(connection.servers.map(({ name, status, skipped }) => ({ name, status, skipped }))).toEqual([
      { name: 'crm', status: 'connected', skipped: [] },
      { name: 'billing', status: 'connected', skipped: [] },
    ]);
    expect(connection.servers[0]?.tools.sort()).toEqual([
      'crm_broken_report',
      'crm_list_customers',
      'crm_update_customer',
      'crm_whoami',
    ]);
    const update = app.registry.get('crm_update_customer');
    const list = app.registry.get('crm_list_customers');
    expect(update).toMatchObject({ effect: 'write', audience: crm.resource, scope: 'mcp:call:update_customer' });
    expect(list).toMatchObject({ effect: 'read', audience: crm.resource });
    expect(app.registry.get('billing_whoami')?.audience).toBe(billing.resource);
    expect(crm.resource).toBe(crm.url);
  });

  it('gives MCP tools strict input schemas: an extra key naming another user is refused', () => {
    const list = app.registry.get('crm_list_customers');
    expect(list?.inputSchema.safeParse({ region: 'emea' }).success).toBe(true);
    expect(list?.inputSchema.safeParse({ region: 'emea', user: 'alice' }).success).toBe(false);
    expect(list?.inputSchema.safeParse({ region: 'mars' }).success).toBe(false);
  });

  it("I2: bob's run reaches the MCP server as bob, acted by the agent, with aud = the server's resource and never his session token", async () => {
    const signIn = await fetch(`${behalf.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'bob' }),
    });
    const session = (await signIn.json()) as SessionResponse;
    const before = crm.calls.length;
    const posted = await fetch(`${behalf.url}/api/threads/${THREAD}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
      body: JSON.stringify({ text: '@agent /tool crm_whoami {}' }),
    });
    expect(posted.ok).toBe(true);
    const { run } = (await posted.json()) as PostMessageResponse;
    await waitForStatus(app, run?.id ?? '', ['done']);

    const call = crm.calls.at(-1);
    expect(crm.calls.length).toBe(before + 1);
    expect(call?.tool).toBe('whoami');
    expect(call?.claims).toMatchObject({
      iss: app.grants.issuer,
      sub: 'bob',
      act: { sub: 'behalf-agent' },
      aud: crm.resource,
      thread: THREAD,
      run: run?.id,
      mode: 'user',
      scope: 'mcp:call:whoami',
    });
    expect(call?.token).not.toBe(session.token);
    expect(crm.tokens).not.toContain(session.token);
    // A signed grant that verifies with Behalf's published keys, alive at most five minutes.
    const { payload, protectedHeader } = await jwtVerify(
      call?.token ?? '',
      createRemoteJWKSet(new URL(`${behalf.url}/.well-known/jwks.json`)),
      { issuer: app.grants.issuer, audience: crm.resource },
    );
    expect(protectedHeader.alg).toBe('EdDSA');
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeLessThanOrEqual(300);
    const steps = toolSteps(await waitForStatus(app, run?.id ?? '', ['done']));
    expect(steps.map((step) => [step.tool, step.decision, step.labels])).toEqual([['crm_whoami', 'allow', ['public']]]);
  });

  it('I2: every call presents a fresh grant: a new token and jti each time, the same one for all requests of a call', async () => {
    const before = crm.calls.length;
    const tokensBefore = crm.tokens.length;
    await ask(app, 'bob', '@agent /tool crm_whoami {}');
    await ask(app, 'bob', '@agent /tool crm_whoami {}');
    const [first, second] = crm.calls.slice(before);
    expect(first?.token).not.toBe(second?.token);
    expect(first?.claims.jti).not.toBe(second?.claims.jti);
    // initialize, initialized, tools/call (and the optional GET) of one call carry that call's grant only,
    // and no token the server saw is anything but some call's own grant.
    const presented = crm.tokens.slice(tokensBefore);
    const grantsOfCalls = new Set(crm.calls.map((call) => call.token));
    for (const token of presented) expect(grantsOfCalls.has(token)).toBe(true);
    for (const call of [first, second]) {
      expect(presented.filter((token) => token === call?.token).length).toBeGreaterThanOrEqual(3);
    }
  });

  it('I2: a captured token replayed to the server is rejected, and runs nothing', async () => {
    const { run } = await ask(app, 'bob', '@agent /tool crm_whoami {}');
    const captured = crm.calls.at(-1);
    expect(captured?.claims.run).toBe(run.id);
    const executed = crm.calls.length;
    await expect(callWithToken(crm.url, captured?.token ?? '', 'whoami')).rejects.toMatchObject({ code: 401 });
    expect(crm.calls.length).toBe(executed);
    expect(crm.rejections.at(-1)).toMatchObject({ status: 401, reason: 'replayed' });
  });

  it("RFC 8707: a grant for one server's audience is rejected by another server", async () => {
    // An unused grant for the crm, taken from the wire before the crm consumed it.
    const grant = app.grants.mint({
      subject: 'bob',
      actor: app.agentId,
      audience: crm.resource,
      scope: 'mcp:call:whoami',
      threadId: THREAD,
      runId: 'run_stolen',
      mode: 'user',
    });
    const token = await app.grants.sign(grant);
    const executed = billing.calls.length;
    await expect(callWithToken(billing.url, token, 'whoami')).rejects.toMatchObject({ code: 401 });
    expect(billing.calls.length).toBe(executed);
    expect(billing.rejections.at(-1)).toMatchObject({ status: 401, reason: 'bad_audience' });
  });

  it('a connector whose resource names another server gets its calls refused there: a clean, audited denial', async () => {
    const misrouted = await connectInto(app, [
      { name: 'misrouted', url: billing.url, resource: crm.resource, timeoutMs: 5000 },
    ]);
    // Discovery itself is refused: the billing server is not the grant's audience.
    expect(misrouted.servers[0]).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/refused the grant.*401/),
    });
    expect(misrouted.tools).toEqual([]);
  });

  it('a discovery grant lists tools but can never call one', async () => {
    const discovery = crm.tokens[0] ?? '';
    await expect(callWithToken(crm.url, discovery, 'whoami')).rejects.toMatchObject({ code: 403 });
    expect(crm.rejections.at(-1)).toMatchObject({ status: 403 });
  });

  it('I7: the write tool pauses for the requester\u2019s approval, and the approved call runs as bob', async () => {
    const { run } = await app.postMessage(
      'bob',
      THREAD,
      '@agent /tool crm_update_customer {"id": "c-1", "note": "renewal call"}',
    );
    const paused = await waitForStatus(app, run?.id ?? '', ['awaiting_approval']);
    expect(crm.calls.some((call) => call.claims.run === paused.id)).toBe(false);
    const [approval] = await app.store.approvals.listPending({ runId: paused.id });
    expect(approval).toMatchObject({ tool: 'crm_update_customer', requesterId: 'bob' });
    await app.agent.approvals.decide('bob', approval?.id ?? '', { approve: true, always: false });
    await waitForStatus(app, paused.id, ['done']);
    expect(crm.calls.at(-1)).toMatchObject({
      tool: 'update_customer',
      args: { id: 'c-1', note: 'renewal call' },
      claims: { sub: 'bob', act: { sub: 'behalf-agent' }, run: paused.id },
    });
  });

  it("I5: labels come from the server's _meta; a result without labels is unclassified (fail closed)", async () => {
    const labelled = await ask(app, 'bob', '@agent /tool crm_list_customers {"region": "emea"}');
    expect(toolSteps(labelled.run)[0]).toMatchObject({ decision: 'allow', labels: ['sales-pipeline:emea'] });
    expect(labelled.answer?.text).toContain('Hansa Logistik');
    const unlabelled = await ask(app, 'bob', '@agent /tool billing_list_customers {}');
    expect(toolSteps(unlabelled.run)[0]).toMatchObject({ decision: 'allow', labels: ['unclassified'] });
  });

  it("I6: MCP calls are audited with the human requester and the result's labels", async () => {
    const { run } = await ask(app, 'bob', '@agent /tool crm_list_customers {}');
    const [record] = await toolCallAudit(app, run.id);
    expect(record).toMatchObject({
      requester: 'bob',
      agent: 'behalf-agent',
      resource: 'tool:crm_list_customers',
      decision: 'allow',
      labels: ['sales-pipeline:emea'],
    });
  });

  it('I9: interleaved runs of different people never cross: each call carries its own run requester', async () => {
    const posted = await Promise.all(
      ['bob', 'alice', 'carol', 'bob', 'alice', 'carol'].map((user) =>
        app.postMessage(user, THREAD, '@agent /tool crm_whoami {}'),
      ),
    );
    await app.drain();
    for (const { run } of posted) {
      const calls = crm.calls.filter((call) => call.claims.run === run?.id);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.claims.sub).toBe(run?.requesterId);
    }
  });

  it("each person gets their own rows: the server scopes by the grant's sub", async () => {
    const bob = await ask(app, 'bob', '@agent /tool crm_list_customers {}');
    const alice = await ask(app, 'alice', '@agent /tool crm_list_customers {}');
    const [bobCall, aliceCall] = crm.calls.slice(-2);
    expect(bobCall?.claims.sub).toBe('bob');
    expect(aliceCall?.claims.sub).toBe('alice');
    expect(bob.answer?.text).toContain('Hansa Logistik');
    expect(alice.answer?.text).not.toContain('Hansa Logistik');
  });
});
