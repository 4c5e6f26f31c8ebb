import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGrantAuthority } from '../../src/delegation/grant-authority.ts';
import { MemoryJtiStore, MemorySigningKeyStore } from '../../src/delegation/memory-stores.ts';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from '../../src/delegation/token-exchange.ts';
import { hashSessionToken } from '../../src/identity/session-service.ts';
import { randomIds } from '../../src/shared/ids.ts';
import { useFixture } from '../support/lifecycle.ts';
import {
  BILLING,
  CLIENTS,
  crmGrant,
  DOCS,
  exchangeGrant,
  readTokenResponse,
  startOAuthHarness,
} from './oauth-fixture.ts';

// Issue 4 point 7, negative paths: each refusal has its RFC 6749 §5.2 / RFC 8693 error and an audit record.
describe('OAuth token exchange refusals', () => {
  const harness = useFixture(() => startOAuthHarness());
  let aliceToken: string;
  beforeAll(async () => {
    aliceToken = await harness.sessionToken('alice');
  });

  const sessionExchange = (token: string, extra: Record<string, string> = {}) => ({
    subject_token: token,
    subject_token_type: ACCESS_TOKEN_TYPE,
    resource: DOCS,
    ...extra,
  });

  const bobsCrmGrant = async (authority = harness.app.grants, subject = 'bob'): Promise<string> =>
    (await crmGrant(harness, { subject, runId: 'run_refusals' }, authority)).token;

  async function expectDenyRecord(reason: RegExp, fields: Record<string, unknown> = {}) {
    const record = await harness.lastExchangeRecord();
    expect(record).toMatchObject({ action: 'token.exchange', decision: 'deny', ...fields });
    expect(record?.reason).toMatch(reason);
  }

  it('refuses a wrong client secret (401 invalid_client) and audits it', async () => {
    const result = await harness.exchange(
      { id: CLIENTS.agent.id, secret: 'not-the-secret' },
      sessionExchange(aliceToken),
    );
    expect(result).toMatchObject({ ok: false, status: 401, error: 'invalid_client' });
    await expectDenyRecord(/invalid_client.*"ci-agent"/, { agent: null, requester: null });
  });

  it('refuses an unknown client like a wrong secret', async () => {
    const result = await harness.exchange({ id: 'nobody', secret: 'whatever-secret' }, sessionExchange(aliceToken));
    expect(result).toMatchObject({ ok: false, status: 401, error: 'invalid_client' });
    await expectDenyRecord(/invalid_client/);
  });

  it('refuses an unknown target resource (invalid_target)', async () => {
    const result = await harness.exchange(
      'agent',
      sessionExchange(aliceToken, { resource: 'https://unknown.example/api' }),
    );
    expect(result).toMatchObject({ ok: false, status: 400, error: 'invalid_target' });
    await expectDenyRecord(/invalid_target/, { requester: 'alice', agent: CLIENTS.agent.id });
  });

  it('refuses a resource the client is not registered for (invalid_target)', async () => {
    const result = await harness.exchange('crm', sessionExchange(aliceToken, { resource: DOCS }));
    expect(result).toMatchObject({ ok: false, error: 'invalid_target' });
    await expectDenyRecord(/may not obtain tokens for that resource/, { agent: CLIENTS.crm.id });
  });

  it('refuses a missing resource, and two resources at once', async () => {
    const missing = await harness.exchange('agent', {
      subject_token: aliceToken,
      subject_token_type: ACCESS_TOKEN_TYPE,
    });
    expect(missing).toMatchObject({
      ok: false,
      error: 'invalid_request',
      description: expect.stringContaining('resource'),
    });
    await expectDenyRecord(/invalid_request: resource/, { requester: 'alice' });
    const two = await harness.exchange('agent', sessionExchange(aliceToken, { audience: BILLING }));
    expect(two).toMatchObject({ ok: false, error: 'invalid_target' });
  });

  it('refuses a revoked session token', async () => {
    const token = await harness.sessionToken('carol');
    await fetch(`${harness.issuer}/api/session`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    const result = await harness.exchange('agent', sessionExchange(token));
    expect(result).toMatchObject({ ok: false, status: 400, error: 'invalid_request' });
    await expectDenyRecord(/not a live session/, { requester: null, agent: CLIENTS.agent.id });
  });

  it('refuses an expired session token', async () => {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    await harness.app.store.sessions.create({
      tokenHash: hashSessionToken(token),
      userId: 'alice',
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now - 2 * 3600_000,
      expiresAt: now - 3600_000,
    });
    const result = await harness.exchange('agent', sessionExchange(token));
    expect(result).toMatchObject({ ok: false, error: 'invalid_request' });
    await expectDenyRecord(/not a live session/);
  });

  it('refuses a grant from another issuer', async () => {
    const foreign = await createGrantAuthority({
      issuer: 'https://evil.example',
      keys: new MemorySigningKeyStore(),
      jtis: new MemoryJtiStore(harness.app.clock),
      clock: harness.app.clock,
      ids: randomIds,
    });
    const result = await exchangeGrant(harness, 'crm', await bobsCrmGrant(foreign), BILLING);
    expect(result).toMatchObject({
      ok: false,
      error: 'invalid_request',
      description: expect.stringContaining('refused'),
    });
    await expectDenyRecord(/subject grant was refused \((unknown_key|bad_issuer)\)/, { agent: CLIENTS.crm.id });
  });

  it('refuses a tampered grant', async () => {
    const [header, payload, signature] = (await bobsCrmGrant()).split('.');
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'dana' })).toString('base64url');
    const result = await exchangeGrant(harness, 'crm', `${header}.${forged}.${signature}`, BILLING);
    expect(result).toMatchObject({ ok: false, error: 'invalid_request' });
    await expectDenyRecord(/bad_signature/);
  });

  it('refuses a grant issued for an audience the client does not speak for', async () => {
    const result = await exchangeGrant(harness, 'agent', await bobsCrmGrant(), DOCS);
    expect(result).toMatchObject({ ok: false, error: 'invalid_request' });
    await expectDenyRecord(/may not exchange grants issued for that audience/, { agent: CLIENTS.agent.id });
  });

  it('refuses token type mismatches', async () => {
    const sessionAsJwt = await exchangeGrant(harness, 'agent', aliceToken, DOCS);
    expect(sessionAsJwt).toMatchObject({
      ok: false,
      error: 'invalid_request',
      description: expect.stringContaining('not a JWT'),
    });
    await expectDenyRecord(/not a JWT/);
    const grantAsSession = await harness.exchange('crm', {
      subject_token: await bobsCrmGrant(),
      subject_token_type: ACCESS_TOKEN_TYPE,
      resource: BILLING,
    });
    expect(grantAsSession).toMatchObject({ ok: false, error: 'invalid_request' });
    await expectDenyRecord(/not a live session/);
    const idToken = await harness.exchange('agent', {
      subject_token: aliceToken,
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      resource: DOCS,
    });
    expect(idToken).toMatchObject({ ok: false, error: 'invalid_request' });
  });

  it('refuses an actor_token: the actor is the authenticated client', async () => {
    const result = await harness.exchange(
      'agent',
      sessionExchange(aliceToken, { actor_token: aliceToken, actor_token_type: ACCESS_TOKEN_TYPE }),
    );
    expect(result).toMatchObject({ ok: false, error: 'invalid_request' });
    await expectDenyRecord(/actor_token/);
  });

  it('refuses another grant type (unsupported_grant_type)', async () => {
    const response = await fetch(harness.as.token_endpoint as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(CLIENTS.agent) },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: DOCS }),
    });
    expect(await readTokenResponse(harness.as, CLIENTS.agent.id, response)).toMatchObject({
      ok: false,
      status: 400,
      error: 'unsupported_grant_type',
    });
    await expectDenyRecord(/unsupported_grant_type/, { agent: CLIENTS.agent.id });
  });

  it('refuses a JSON body: only application/x-www-form-urlencoded', async () => {
    const response = await fetch(harness.as.token_endpoint as string, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(CLIENTS.agent) },
      body: JSON.stringify({ grant_type: TOKEN_EXCHANGE_GRANT, ...sessionExchange(aliceToken) }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
    await expectDenyRecord(/x-www-form-urlencoded/, { agent: CLIENTS.agent.id });
  });

  // Must stay last: it throttles this file's one source (127.0.0.1). That a stranger cannot lock
  // out the genuine client elsewhere is `token-exchange-throttle.test.ts`.
  it('throttles a source after ten failed authentications, even for the right secret (429, Retry-After)', async () => {
    const wrong = { id: CLIENTS.locked.id, secret: 'wrong-secret' };
    // Earlier tests' failures from this source count too, so the last of these may already be 429.
    for (let attempt = 0; attempt < 10; attempt++) {
      const result = await harness.exchange(wrong, sessionExchange(aliceToken));
      expect(result.ok === false && [401, 429].includes(result.status)).toBe(true);
    }
    const response = await fetch(harness.as.token_endpoint as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(CLIENTS.locked) },
      body: new URLSearchParams({ grant_type: TOKEN_EXCHANGE_GRANT, ...sessionExchange(aliceToken) }),
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

function basic(client: { id: string; secret: string }): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64')}`;
}
