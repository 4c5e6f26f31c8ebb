import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from '../../src/delegation/token-exchange.ts';
import { useFixture } from '../support/lifecycle.ts';
import { CLIENTS, DOCS, type OAuthHarness, startOAuthHarness } from './oauth-fixture.ts';

/**
 * Issue 7 point 6: failed client authentications at `POST /oauth/token` are throttled per network
 * source, so a stranger sending wrong secrets for a client id — from anywhere — cannot lock the
 * genuine client out, while the stranger itself is slowed down (429, `Retry-After`). Requests
 * come from distinct loopback addresses (Linux routes all of 127/8 to the loopback interface).
 */

interface Client {
  id: string;
  secret: string;
}

interface TokenAnswer {
  status: number;
  retryAfter: string | undefined;
  body: { access_token?: string; error?: string };
}

/** A token-exchange request for alice's session, sent from `from` (a loopback address). */
function exchangeFrom(
  harness: OAuthHarness,
  client: Client,
  subjectToken: string,
  from: string,
  headers: Record<string, string> = {},
): Promise<TokenAnswer> {
  const body = new URLSearchParams({
    grant_type: TOKEN_EXCHANGE_GRANT,
    subject_token: subjectToken,
    subject_token_type: ACCESS_TOKEN_TYPE,
    resource: DOCS,
  }).toString();
  const url = new URL('/oauth/token', harness.issuer);
  const basic = Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64');
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: from,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${basic}`,
          ...headers,
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            retryAfter: response.headers['retry-after'],
            body: JSON.parse(text) as TokenAnswer['body'],
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const wrong = (client: Client): Client => ({ id: client.id, secret: 'a-guess-that-is-wrong' });

describe('OAuth token exchange: throttling failed client authentications', () => {
  const harness = useFixture(() => startOAuthHarness());
  let aliceToken: string;
  beforeAll(async () => {
    aliceToken = await harness.sessionToken('alice');
  });

  it("a stranger's wrong secrets for a client id do not lock the genuine client out (issue 7)", async () => {
    const stranger = '127.0.0.2';
    for (let attempt = 0; attempt < 10; attempt++) {
      expect((await exchangeFrom(harness, wrong(CLIENTS.locked), aliceToken, stranger)).status).toBe(401);
    }
    const throttled = await exchangeFrom(harness, wrong(CLIENTS.locked), aliceToken, stranger);
    expect(throttled).toMatchObject({ status: 429, body: { error: 'invalid_client' } });
    expect(Number(throttled.retryAfter)).toBeGreaterThan(0);
    const genuine = await exchangeFrom(harness, CLIENTS.locked, aliceToken, '127.0.0.3');
    expect(genuine.status).toBe(200);
    expect(genuine.body.access_token).toEqual(expect.any(String));
  });

  it('the guessing source waits for every client id, a right secret included (no oracle for a guess)', async () => {
    const stranger = '127.0.0.4';
    for (let attempt = 0; attempt < 10; attempt++)
      await exchangeFrom(harness, wrong(CLIENTS.agent), aliceToken, stranger);
    for (const client of [CLIENTS.agent, CLIENTS.crm]) {
      const answer = await exchangeFrom(harness, client, aliceToken, stranger);
      expect(answer.status).toBe(429);
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    }
    expect((await exchangeFrom(harness, CLIENTS.agent, aliceToken, '127.0.0.5')).status).toBe(200);
  });

  it('a distributed guess: past 100 failures for one id, a failing address gets one guess a window, a clean one still exchanges', async () => {
    for (let host = 10; host < 20; host++) {
      for (let attempt = 0; attempt < 10; attempt++) {
        await exchangeFrom(harness, wrong(CLIENTS.locked), aliceToken, `127.0.1.${host}`);
      }
    }
    const newcomer = '127.0.1.30';
    expect((await exchangeFrom(harness, wrong(CLIENTS.locked), aliceToken, newcomer)).status).toBe(401);
    const second = await exchangeFrom(harness, wrong(CLIENTS.locked), aliceToken, newcomer);
    expect(second.status).toBe(429);
    expect(Number(second.retryAfter)).toBeGreaterThan(0);
    // The newcomer is held back only for the id under attack.
    expect((await exchangeFrom(harness, CLIENTS.agent, aliceToken, newcomer)).status).toBe(200);
    // The genuine client, from an address that never failed, is never refused.
    expect((await exchangeFrom(harness, CLIENTS.locked, aliceToken, '127.0.1.40')).status).toBe(200);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const spoofer = '127.0.0.6';
    for (let attempt = 0; attempt < 10; attempt++) {
      const forwarded = { 'x-forwarded-for': `198.51.100.${attempt}` };
      await exchangeFrom(harness, wrong(CLIENTS.agent), aliceToken, spoofer, forwarded);
    }
    const answer = await exchangeFrom(harness, CLIENTS.agent, aliceToken, spoofer, {
      'x-forwarded-for': '198.51.100.99',
    });
    expect(answer.status).toBe(429);
  });
});

describe('OAuth token exchange behind a trusted proxy', () => {
  let harness: OAuthHarness;
  let aliceToken: string;
  const proxy = '127.0.0.7';

  beforeAll(async () => {
    harness = await startOAuthHarness({ trustedProxies: [proxy] });
    aliceToken = await harness.sessionToken('alice');
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('throttles the address the proxy names, not the proxy, so the genuine client behind it keeps exchanging', async () => {
    // The client may prepend anything; only the entry the proxy appended counts.
    const stranger = { 'x-forwarded-for': '203.0.113.50, 198.51.100.7' };
    for (let attempt = 0; attempt < 10; attempt++) {
      expect((await exchangeFrom(harness, wrong(CLIENTS.agent), aliceToken, proxy, stranger)).status).toBe(401);
    }
    expect((await exchangeFrom(harness, CLIENTS.agent, aliceToken, proxy, stranger)).status).toBe(429);
    const genuine = await exchangeFrom(harness, CLIENTS.agent, aliceToken, proxy, {
      'x-forwarded-for': '198.51.100.7, 198.51.100.8',
    });
    expect(genuine.status).toBe(200);
    await harness.app.drain();
    const records = await harness.app.store.audit.query({ action: 'token.exchange' });
    expect(records.some((record) => /invalid_client.* from 198\.51\.100\.7$/.test(record.reason ?? ''))).toBe(true);
  });
});
