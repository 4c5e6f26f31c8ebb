import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorCredentials } from '../../src/delegation/connector-credentials.ts';
import type { ConnectorsResponse, ConnectorWire } from '../../src/protocol/wire.ts';
import { hashValue } from '../../src/shared/hash.ts';
import { SqliteConnectorCredentialStore } from '../../src/storage/sqlite/sqlite-connector-credential-store.ts';
import { testConnectorCredentials } from '../support/connector-credentials.ts';
import { createHttpFixture, type HttpFixture, type SignedIn } from './http-fixture.ts';

const CRM = { name: 'crm', resource: 'https://crm.example.com/mcp' };
const TOKEN = 'alice-personal-token_7f3a.Zq';

/**
 * `/api/connectors`: a person connects, inspects and removes their own account on a
 * `per-user-oauth` MCP server. Always the session's own user; never a token in a response.
 */
describe('HTTP /api/connectors', () => {
  let f: HttpFixture;
  let credentials: ConnectorCredentials;
  let alice: SignedIn;
  let bob: SignedIn;

  beforeAll(async () => {
    f = await createHttpFixture((app) => {
      credentials = testConnectorCredentials(app);
      return { connectors: { credentials, servers: [CRM] } };
    });
    alice = await f.signIn('alice');
    bob = await f.signIn('bob');
  });
  afterAll(async () => {
    await f?.close();
  });

  const list = async (as: SignedIn) => {
    const response = await f.call('GET', '/api/connectors', { as });
    expect(response.status).toBe(200);
    return ((await response.json()) as ConnectorsResponse).connectors;
  };

  it('lists the servers that take personal accounts, not connected at first', async () => {
    expect(await list(alice)).toEqual([
      { server: 'crm', resource: CRM.resource, connected: false, expiresAt: null, updatedAt: null },
    ]);
  });

  it("connects the caller's own account: stored sealed, shown to them only, audited without the token", async () => {
    const expiresAt = f.app.clock.now() + 3_600_000;
    const response = await f.call('PUT', '/api/connectors/crm', { as: alice, body: { accessToken: TOKEN, expiresAt } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as ConnectorWire;
    expect(body).toMatchObject({ server: 'crm', connected: true, expiresAt });
    expect(JSON.stringify(body)).not.toContain(TOKEN);
    expect(await list(alice)).toMatchObject([{ connected: true, expiresAt }]);
    // bob sees his own connection, not alice's.
    expect(await list(bob)).toMatchObject([{ connected: false }]);
    // At rest the token is sealed under alice's partition.
    const row = await new SqliteConnectorCredentialStore(f.app.store.db).get({
      tenant: credentials.tenant,
      user: 'alice',
      resource: CRM.resource,
    });
    expect(row?.sealed).toBeDefined();
    expect(row?.sealed).not.toContain(TOKEN);
    // A run acting for alice on that server gets it, through its grant; one acting for bob does not.
    const grantFor = (subject: string) =>
      f.app.grants.mint({
        subject,
        actor: f.app.agentId,
        audience: CRM.resource,
        scope: 'mcp:call',
        threadId: 'thr_q3_planning',
        runId: `run_${subject}`,
        mode: 'user',
      });
    expect(await credentials.forGrant(grantFor('alice'))).toEqual({ accessToken: TOKEN, expiresAt });
    expect(await credentials.forGrant(grantFor('bob'))).toBeUndefined();
    const records = await f.app.store.audit.query({ requester: 'alice', action: 'connector.connect' });
    expect(records).toMatchObject([{ resource: 'mcp:crm', mode: 'direct', argsHash: hashValue(TOKEN) }]);
    expect(JSON.stringify(records)).not.toContain(TOKEN);
  });

  it('treats an expired connection as not connected', async () => {
    await credentials.connect({ user: 'bob', resource: CRM.resource }, { accessToken: 'old', expiresAt: 1 });
    expect(await list(bob)).toMatchObject([{ connected: false, expiresAt: 1 }]);
  });

  it('refuses bad input with a clean 400 and stores nothing', async () => {
    for (const body of [
      {},
      { accessToken: '' },
      { accessToken: 'has spaces in it' },
      { accessToken: 'x\r\nInjected: header' },
      { accessToken: 'x'.repeat(9000) },
      { accessToken: 'ok', expiresAt: 1 },
      { accessToken: 'ok', expiresAt: 'tomorrow' },
      { accessToken: 'ok', user: 'bob' },
    ]) {
      const response = await f.call('PUT', '/api/connectors/crm', { as: bob, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
    expect(await list(bob)).toMatchObject([{ expiresAt: 1 }]);
  });

  it('answers 404 for a server that takes no personal accounts, 401 without a session, 403 without CSRF', async () => {
    expect((await f.call('PUT', '/api/connectors/docs', { as: alice, body: { accessToken: 'x' } })).status).toBe(404);
    expect((await f.call('GET', '/api/connectors')).status).toBe(401);
    const cookieOnly = await f.call('PUT', '/api/connectors/crm', {
      as: { cookie: bob, csrf: null },
      body: { accessToken: 'x' },
    });
    expect(cookieOnly.status).toBe(403);
    const withCsrf = await f.call('PUT', '/api/connectors/crm', {
      as: { cookie: bob },
      body: { accessToken: 'bob-token' },
    });
    expect(withCsrf.status).toBe(200);
  });

  it("disconnects the caller's own account only, audited; a second time is 404", async () => {
    expect((await f.call('DELETE', '/api/connectors/crm', { as: bob })).status).toBe(204);
    expect(await list(bob)).toMatchObject([{ connected: false, expiresAt: null }]);
    expect(await list(alice)).toMatchObject([{ connected: true }]);
    expect((await f.call('DELETE', '/api/connectors/crm', { as: bob })).status).toBe(404);
    expect(await f.app.store.audit.query({ requester: 'bob', action: 'connector.disconnect' })).toHaveLength(1);
  });

  it('lists nothing when no server takes personal accounts', async () => {
    const plain = await createHttpFixture();
    try {
      const response = await plain.call('GET', '/api/connectors', { as: await plain.signIn('carol') });
      expect(await response.json()).toEqual({ connectors: [] });
      const put = await plain.call('PUT', '/api/connectors/crm', {
        as: await plain.signIn('carol'),
        body: { accessToken: 'x' },
      });
      expect(put.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
