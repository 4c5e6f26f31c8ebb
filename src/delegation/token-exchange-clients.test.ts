import { describe, expect, it } from 'vitest';
import { authenticateClient, parseBasicCredentials } from './token-exchange-clients.ts';
import { resolveTokenExchangeSettings } from './token-exchange-settings.ts';

const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

describe('client_secret_basic', () => {
  it('decodes form-encoded credentials (RFC 6749 §2.3.1), so secrets may hold ":"', () => {
    expect(parseBasicCredentials(basic('ci-agent:a%3Ab+c'))).toEqual({ clientId: 'ci-agent', secret: 'a:b c' });
    expect(parseBasicCredentials(basic('ci-agent:'))).toEqual({ clientId: 'ci-agent', secret: '' });
  });

  it('refuses absent and malformed headers', () => {
    for (const header of [
      undefined,
      '',
      'Bearer abc',
      'Basic',
      basic('no-colon'),
      basic(':secret'),
      basic('a:%E0%A4%A'),
    ]) {
      expect(parseBasicCredentials(header)).toBeNull();
    }
  });

  it('authenticates only the right secret of a registered client', () => {
    const secret = 'ci-agent-secret-0123456789abcdefghijklmnop';
    const { clients } = resolveTokenExchangeSettings([{ client_id: 'ci-agent', client_secret: secret }], []);
    expect(authenticateClient(clients, basic(`ci-agent:${secret}`))).toMatchObject({
      ok: true,
      client: { clientId: 'ci-agent' },
    });
    expect(authenticateClient(clients, basic(`ci-agent:${secret}x`))).toMatchObject({
      ok: false,
      clientId: 'ci-agent',
    });
    expect(authenticateClient(clients, basic(`other:${secret}`))).toMatchObject({ ok: false, clientId: 'other' });
    expect(authenticateClient(clients, undefined)).toMatchObject({ ok: false, clientId: null });
  });
});
