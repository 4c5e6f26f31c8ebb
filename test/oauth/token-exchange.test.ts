import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { createGrantVerifier } from '../../src/delegation/grant-verifier.ts';
import {
  ACCESS_TOKEN_TYPE,
  EXCHANGE_THREAD,
  JWT_TOKEN_TYPE,
  TOKEN_EXCHANGE_GRANT,
} from '../../src/delegation/token-exchange.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { useFixture } from '../support/lifecycle.ts';
import { BILLING, CLIENTS, crmGrant, DOCS, exchangeGrant, startOAuthHarness } from './oauth-fixture.ts';

// Issue 4 point 7: the OAuth endpoints for tools outside the process, with oauth4webapi as the client.
describe('OAuth token exchange (RFC 8693) for tools outside the process', () => {
  const harness = useFixture(() => startOAuthHarness());

  it('publishes RFC 8414 metadata that oauth4webapi discovers', () => {
    expect(harness.as).toMatchObject({
      issuer: harness.issuer,
      token_endpoint: `${harness.issuer}/oauth/token`,
      jwks_uri: `${harness.issuer}/.well-known/jwks.json`,
      token_endpoint_auth_methods_supported: ['client_secret_basic'],
    });
    expect(harness.as.grant_types_supported).toContain(TOKEN_EXCHANGE_GRANT);
  });

  it("exchanges alice's session token for a grant that verifies against the JWKS (sub alice, act the client, aud the resource)", async () => {
    const result = await harness.exchange('agent', {
      subject_token: await harness.sessionToken('alice'),
      subject_token_type: ACCESS_TOKEN_TYPE,
      resource: DOCS,
      scope: 'docs:read',
    });
    if (!result.ok) throw new Error(`refused: ${result.error} ${result.description}`);
    const { response } = result;
    expect(response).toMatchObject({ token_type: 'bearer', issued_token_type: JWT_TOKEN_TYPE, scope: 'docs:read' });
    expect(response.expires_in).toBeGreaterThan(0);
    expect(response.expires_in).toBeLessThanOrEqual(300);

    const keySet = createRemoteJWKSet(new URL(harness.as.jwks_uri as string));
    const { payload, protectedHeader } = await jwtVerify(response.access_token, keySet, {
      issuer: harness.issuer,
      audience: DOCS,
      algorithms: ['EdDSA'],
    });
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: 'alice', act: { sub: CLIENTS.agent.id }, aud: DOCS, scope: 'docs:read' });
    expect((payload.exp as number) - (payload.iat as number)).toBeLessThanOrEqual(300);
    expect(payload).toMatchObject({ mode: 'user', thread: EXCHANGE_THREAD, run: expect.stringMatching(/^exchange:/) });

    // Behalf's own verifier, as an MCP server or API outside the process would run it.
    const verifier = createGrantVerifier({ issuer: harness.issuer, keySet });
    const check = await verifier.verify(response.access_token, { audience: DOCS });
    expect(check).toMatchObject({ ok: true, claims: { sub: 'alice', act: { sub: CLIENTS.agent.id } } });

    expect(await harness.lastExchangeRecord()).toMatchObject({
      action: 'token.exchange',
      decision: 'allow',
      requester: 'alice',
      agent: CLIENTS.agent.id,
      mode: 'user',
      runId: payload.run,
      resource: `resource:${DOCS}`,
    });
  });

  it('accepts the target as `audience` too (RFC 8693)', async () => {
    const result = await harness.exchange('agent', {
      subject_token: await harness.sessionToken('carol'),
      subject_token_type: ACCESS_TOKEN_TYPE,
      audience: DOCS,
    });
    expect(result.ok && decodeJwt(result.response.access_token)).toMatchObject({ sub: 'carol', aud: DOCS });
  });

  it('exchanges a delegation grant: the MCP server it was issued to obtains a downstream token on the same run', async () => {
    const { grant, token: subjectToken } = await crmGrant(harness, {
      scope: 'crm:read billing:read',
      runId: 'run_exchange_test',
    });
    const result = await exchangeGrant(harness, 'crm', subjectToken, BILLING, { scope: 'billing:read' });
    if (!result.ok) throw new Error(`refused: ${result.error} ${result.description}`);
    const keySet = createRemoteJWKSet(new URL(harness.as.jwks_uri as string));
    const { payload } = await jwtVerify(result.response.access_token, keySet, {
      issuer: harness.issuer,
      audience: BILLING,
    });
    expect(payload).toMatchObject({
      sub: 'bob',
      // RFC 8693 §4.1: the client acts now; the agent that held the subject grant acted before it.
      act: { sub: CLIENTS.crm.id, act: { sub: grant.claims.act.sub } },
      aud: BILLING,
      scope: 'billing:read',
      thread: ACME_THREAD.id,
      run: 'run_exchange_test',
    });
    // Never outlives the grant it came from.
    expect(payload.exp).toBeLessThanOrEqual(grant.claims.exp);
    expect(await harness.lastExchangeRecord()).toMatchObject({
      decision: 'allow',
      requester: 'bob',
      agent: CLIENTS.crm.id,
      threadId: ACME_THREAD.id,
      runId: 'run_exchange_test',
    });

    // A grant is exchanged at most once.
    const replay = await exchangeGrant(harness, 'crm', subjectToken, BILLING);
    expect(replay).toMatchObject({
      ok: false,
      error: 'invalid_request',
      description: expect.stringContaining('replayed'),
    });
  });

  it('refuses to extend an actor chain that is already as long as a grant may carry', async () => {
    const { token } = await crmGrant(harness, {
      runId: 'run_exchange_chain',
      priorActor: { sub: 'hop-3', act: { sub: 'hop-2', act: { sub: 'hop-1' } } },
    });
    const result = await exchangeGrant(harness, 'crm', token, BILLING);
    expect(result).toMatchObject({ ok: false, error: 'invalid_request', description: expect.stringMatching(/actors/) });
  });

  it('never widens the scope of an exchanged grant', async () => {
    const { token } = await crmGrant(harness, { runId: 'run_scope_test' });
    const result = await exchangeGrant(harness, 'crm', token, BILLING, { scope: 'crm:read billing:write' });
    expect(result).toMatchObject({ ok: false, status: 400, error: 'invalid_scope' });
    expect(await harness.lastExchangeRecord()).toMatchObject({
      decision: 'deny',
      requester: 'bob',
      agent: CLIENTS.crm.id,
    });
  });
});
