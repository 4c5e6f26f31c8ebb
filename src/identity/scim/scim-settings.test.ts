import { describe, expect, it } from 'vitest';
import { scimSettingsFromEnv, scimTokenMatches } from './scim-settings.ts';

describe('BEHALF_SCIM_TOKEN', () => {
  const token = `${'a'.repeat(31)}Z`;

  it('is off when unset or empty', () => {
    expect(scimSettingsFromEnv({})).toBeNull();
    expect(scimSettingsFromEnv({ BEHALF_SCIM_TOKEN: '  ' })).toBeNull();
  });

  it('refuses a short token or one with spaces: the server does not start', () => {
    expect(() => scimSettingsFromEnv({ BEHALF_SCIM_TOKEN: 'short' })).toThrow(/at least 32/);
    expect(() => scimSettingsFromEnv({ BEHALF_SCIM_TOKEN: `${token} x` })).toThrow(/without spaces/);
  });

  it('matches exactly the configured token', () => {
    const settings = scimSettingsFromEnv({ BEHALF_SCIM_TOKEN: token });
    expect(settings).toEqual({ token });
    if (!settings) return;
    expect(scimTokenMatches(settings, token)).toBe(true);
    expect(scimTokenMatches(settings, `${token}x`)).toBe(false);
    expect(scimTokenMatches(settings, token.toLowerCase())).toBe(false);
    expect(scimTokenMatches(settings, '')).toBe(false);
    expect(scimTokenMatches(settings, undefined)).toBe(false);
  });
});
