import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectorCredentials } from '../../src/delegation/connector-credentials.ts';
import { DelegationGrant } from '../../src/delegation/grant.ts';
import type { ToolContext, ToolDefinition } from '../../src/tools/types.ts';
import { testConnectorCredentials } from '../support/connector-credentials.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { ask, connectInto, serveJwks, toolSteps } from './mcp-fixture.ts';
import { startTestMcpServer, type TestMcpServer } from './test-mcp-server.ts';

const UPSTREAM = { alice: 'alice-upstream-token-7f3a', bob: 'bob-upstream-token-92c1' };

/**
 * Per-user connector credentials (SPEC I9) end to end: a `per-user-oauth` MCP server receives
 * the grant as Bearer token and the requester's own token in `Behalf-Connector-Token` — the
 * requester's and nobody else's, whatever the run holds or the database was made to say.
 */
describe('MCP per-user connector credentials', () => {
  let app: TestApp;
  let jwks: Awaited<ReturnType<typeof serveJwks>>;
  let crm: TestMcpServer;
  let credentials: ConnectorCredentials;
  let whoami: ToolDefinition;
  let swapGrant: ((context: ToolContext) => ToolContext) | undefined;
  const grantsSeen: Array<{ runId: string; grant: unknown }> = [];

  beforeAll(async () => {
    app = await createTestApp();
    jwks = await serveJwks(app.grants);
    crm = await startTestMcpServer({ issuer: app.grants.issuer, jwksUrl: jwks.url, connectorTokens: UPSTREAM });
    credentials = testConnectorCredentials(app);
    const connection = await connectInto(app, [{ name: 'crm', url: crm.url, credential: 'per-user-oauth' }], {
      credentials,
    });
    expect(connection.servers[0]?.status).toBe('connected');
    // Records every grant the tool receives, and lets a test hand it someone else's.
    whoami = app.registry.get('crm_whoami') as ToolDefinition;
    const execute = whoami.execute.bind(whoami);
    whoami.execute = (input, context) => {
      grantsSeen.push({ runId: context.runId, grant: context.grant });
      return execute(input, swapGrant ? swapGrant(context) : context);
    };
  });
  afterAll(async () => {
    await crm?.close();
    await jwks?.close();
    await app?.close();
  });
  beforeEach(async () => {
    swapGrant = undefined;
    await credentials.connect(
      { user: 'alice', resource: crm.resource },
      { accessToken: UPSTREAM.alice, expiresAt: null },
    );
    await credentials.connect({ user: 'bob', resource: crm.resource }, { accessToken: UPSTREAM.bob, expiresAt: null });
  });

  const callsOfRun = (runId: string) => crm.calls.filter((call) => call.claims.run === runId);

  it("sends the requester's own token beside the grant, for each requester", async () => {
    const bob = await ask(app, 'bob', '@agent /tool crm_whoami {}');
    const alice = await ask(app, 'alice', '@agent /tool crm_whoami {}');
    expect(callsOfRun(bob.run.id)).toMatchObject([{ claims: { sub: 'bob' }, connectorToken: UPSTREAM.bob }]);
    expect(callsOfRun(alice.run.id)).toMatchObject([{ claims: { sub: 'alice' }, connectorToken: UPSTREAM.alice }]);
    // The person's token travels in its own header; the Bearer token is still the grant.
    expect(callsOfRun(bob.run.id)[0]?.token).not.toBe(UPSTREAM.bob);
    expect(toolSteps(bob.run)[0]).toMatchObject({ decision: 'allow' });
  });

  it('a person who has not connected the server gets a clean denial, and nothing reaches the server', async () => {
    const { run } = await ask(app, 'carol', '@agent /tool crm_whoami {}');
    expect(run.status).toBe('done');
    expect(toolSteps(run)[0]).toMatchObject({
      decision: 'deny',
      reason: expect.stringMatching(/carol has not connected their "crm" account/),
    });
    expect(callsOfRun(run.id)).toEqual([]);
  });

  it("I9: bob's run handed alice's genuine grant gets nothing of hers: the grant is refused before any lookup", async () => {
    const aliceRun = await ask(app, 'alice', '@agent /tool crm_whoami {}');
    const alicesGrant = grantsSeen.find((seen) => seen.runId === aliceRun.run.id)?.grant as DelegationGrant;
    expect(alicesGrant.claims.sub).toBe('alice');
    swapGrant = (context) => ({ ...context, grant: alicesGrant });
    const { run } = await ask(app, 'bob', '@agent /tool crm_whoami {}');
    expect(toolSteps(run)[0]).toMatchObject({ decision: 'deny', reason: expect.stringMatching(/grant refused/) });
    expect(callsOfRun(run.id)).toEqual([]);
    expect(
      crm.calls.filter((call) => call.connectorToken === UPSTREAM.alice).every((call) => call.claims.sub === 'alice'),
    ).toBe(true);
  });

  it("I9: a grant forged to name alice inside bob's run is refused", async () => {
    swapGrant = (context) => ({ ...context, grant: new DelegationGrant({ ...context.grant.claims, sub: 'alice' }) });
    const { run } = await ask(app, 'bob', '@agent /tool crm_whoami {}');
    expect(toolSteps(run)[0]).toMatchObject({ decision: 'deny', reason: expect.stringMatching(/forged/) });
    expect(callsOfRun(run.id)).toEqual([]);
  });

  it("I9: alice's sealed token copied into bob's row fails to open: bob's call fails cleanly without it", async () => {
    app.store.db
      .prepare(
        `UPDATE connector_credentials SET sealed = (SELECT sealed FROM connector_credentials WHERE user_id = 'alice')
         WHERE user_id = 'bob'`,
      )
      .run();
    const { run } = await ask(app, 'bob', '@agent /tool crm_whoami {}');
    expect(run.status).toBe('done');
    expect(toolSteps(run)[0]).toMatchObject({ decision: 'error', reason: expect.stringMatching(/cannot be opened/) });
    expect(callsOfRun(run.id)).toEqual([]);
  });

  it('a self-authorized thread has no personal credentials to send', async () => {
    const thread = await app.threads.create('alice', { title: 'Agent identity', members: ['bob'] });
    await app.threads.update('alice', thread.id, { mode: 'self' });
    const { run } = await ask(app, 'bob', '@agent /tool crm_whoami {}', thread.id);
    expect(toolSteps(run)[0]).toMatchObject({ decision: 'deny', reason: expect.stringMatching(/self-authorized/) });
    expect(callsOfRun(run.id)).toEqual([]);
  });

  it('I9: the tokens are stored sealed: no column of the database holds them', () => {
    const dump = JSON.stringify(app.store.db.prepare('SELECT * FROM connector_credentials').all());
    for (const token of Object.values(UPSTREAM)) {
      expect(dump).not.toContain(token);
      expect(dump).not.toContain(Buffer.from(token).toString('base64url').slice(0, 12));
    }
  });
});
