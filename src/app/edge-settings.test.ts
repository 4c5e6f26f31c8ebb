import { describe, expect, it } from 'vitest';
import { edgeSettingsFromEnv } from './edge-settings.ts';

describe('edgeSettingsFromEnv', () => {
  it('reads trusted proxies and the per-person socket cap; unset means the defaults', () => {
    expect(edgeSettingsFromEnv({})).toEqual({});
    expect(
      edgeSettingsFromEnv({ BEHALF_TRUSTED_PROXIES: '10.0.0.1, fd00::1', BEHALF_WS_CONNECTIONS_PER_USER: '5' }),
    ).toEqual({ trustedProxies: ['10.0.0.1', 'fd00::1'], maxConnectionsPerUser: 5 });
  });

  it('refuses a proxy that is not an IP address, and a cap out of range', () => {
    expect(() => edgeSettingsFromEnv({ BEHALF_TRUSTED_PROXIES: 'proxy.internal' })).toThrow(/BEHALF_TRUSTED_PROXIES/);
    for (const cap of ['0', '1001', '-1', '2.5', 'many']) {
      expect(() => edgeSettingsFromEnv({ BEHALF_WS_CONNECTIONS_PER_USER: cap })).toThrow(
        /BEHALF_WS_CONNECTIONS_PER_USER/,
      );
    }
  });
});
