import { describe, expect, it } from 'vitest';
import { lazyContextFromEnv } from './context-settings.ts';

describe('BEHALF_LAZY_CONTEXT', () => {
  it('is on unless switched off', () => {
    expect(lazyContextFromEnv({})).toBe(true);
    expect(lazyContextFromEnv({ BEHALF_LAZY_CONTEXT: ' ' })).toBe(true);
    expect(lazyContextFromEnv({ BEHALF_LAZY_CONTEXT: 'on' })).toBe(true);
    expect(lazyContextFromEnv({ BEHALF_LAZY_CONTEXT: 'OFF' })).toBe(false);
  });

  it('refuses any other value', () => {
    expect(() => lazyContextFromEnv({ BEHALF_LAZY_CONTEXT: 'eager' })).toThrow(/BEHALF_LAZY_CONTEXT must be/);
  });
});
