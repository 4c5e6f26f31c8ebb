import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashClientSecret, tokenExchangeSettingsFromEnv } from './token-exchange-settings.ts';

const secret = 'ci-agent-secret-0123456789abcdefghijklmnop';

describe('tokenExchangeSettingsFromEnv', () => {
  it('is empty when nothing is configured', () => {
    expect(tokenExchangeSettingsFromEnv({})).toEqual({ clients: [], resources: [] });
  });

  it('reads clients (plain or hashed secrets) and resources, adding the MCP servers', () => {
    const settings = tokenExchangeSettingsFromEnv(
      {
        BEHALF_OAUTH_CLIENTS: JSON.stringify([
          { client_id: 'ci-agent', client_secret: secret, resources: ['https://docs.example/api'] },
          {
            client_id: 'mcp-crm',
            client_secret_sha256: createHash('sha256').update('x'.repeat(40)).digest('hex'),
            subject_audiences: ['https://crm.example/mcp'],
          },
        ]),
        BEHALF_OAUTH_RESOURCES: 'https://docs.example/api, https://billing.example/api',
      },
      ['https://crm.example/mcp'],
    );
    expect(settings.resources).toEqual([
      'https://docs.example/api',
      'https://billing.example/api',
      'https://crm.example/mcp',
    ]);
    expect(settings.clients[0]).toMatchObject({ clientId: 'ci-agent', resources: ['https://docs.example/api'] });
    expect(settings.clients[0]?.secretHash.equals(hashClientSecret(secret))).toBe(true);
    expect(settings.clients[1]?.secretHash.equals(hashClientSecret('x'.repeat(40)))).toBe(true);
    expect(settings.clients[1]?.subjectAudiences).toEqual(['https://crm.example/mcp']);
  });

  it('refuses bad configurations so the server does not start', () => {
    const cases: Record<string, string>[] = [
      { BEHALF_OAUTH_CLIENTS: 'not json' },
      { BEHALF_OAUTH_CLIENTS: '{}' },
      { BEHALF_OAUTH_CLIENTS: JSON.stringify([{ client_id: 'a', client_secret: 'short' }]) },
      { BEHALF_OAUTH_CLIENTS: JSON.stringify([{ client_id: 'a' }]) },
      { BEHALF_OAUTH_CLIENTS: JSON.stringify([{ client_id: 'a', client_secret: secret, extra: 1 }]) },
      {
        BEHALF_OAUTH_CLIENTS: JSON.stringify([
          { client_id: 'a', client_secret: secret, resources: ['https://unknown.example'] },
        ]),
      },
      {
        BEHALF_OAUTH_CLIENTS: JSON.stringify([
          { client_id: 'a', client_secret: secret },
          { client_id: 'a', client_secret: secret },
        ]),
      },
      { BEHALF_OAUTH_RESOURCES: 'https://docs.example/api#fragment' },
      { BEHALF_OAUTH_RESOURCES: 'relative/path' },
    ];
    for (const env of cases) expect(() => tokenExchangeSettingsFromEnv(env)).toThrow(/Invalid OAuth configuration/);
  });
});
