import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createConnectorCipher } from './connector-credentials-cipher.ts';

const BOB = { tenant: 'default', user: 'bob', resource: 'https://crm.test/mcp' };

describe('connector cipher (AES-256-GCM)', () => {
  const cipher = createConnectorCipher(randomBytes(32));

  it('round-trips, with a fresh IV per seal', () => {
    const first = cipher.seal('secret token', BOB);
    const second = cipher.seal('secret token', BOB);
    expect(first).not.toBe(second);
    expect(cipher.open(first, BOB)).toBe('secret token');
    expect(cipher.open(second, BOB)).toBe('secret token');
  });

  it('binds the value to its partition: any other tenant, user or resource fails', () => {
    const sealed = cipher.seal('secret token', BOB);
    for (const other of [
      { ...BOB, tenant: 'globex' },
      { ...BOB, user: 'alice' },
      { ...BOB, resource: 'https://crm.test/mcp/' },
    ]) {
      expect(() => cipher.open(sealed, other)).toThrow(/failed authentication/);
    }
  });

  it('keeps partitions apart even when their parts could be concatenated alike', () => {
    const sealed = cipher.seal('x', { tenant: 'a', user: 'b|c', resource: 'd' });
    expect(() => cipher.open(sealed, { tenant: 'a|b', user: 'c', resource: 'd' })).toThrow(/failed authentication/);
  });

  it('detects any flipped bit of IV, ciphertext or tag', () => {
    const sealed = cipher.seal('secret token', BOB);
    const parts = sealed.split('.');
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(parts[index] ?? '', 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      const tampered = parts.map((part, at) => (at === index ? bytes.toString('base64url') : part)).join('.');
      expect(() => cipher.open(tampered, BOB)).toThrow(/failed authentication/);
    }
  });

  it('names a wrong key instead of reporting tampering', () => {
    const sealed = createConnectorCipher(randomBytes(32)).seal('secret token', BOB);
    expect(() => cipher.open(sealed, BOB)).toThrow(/another secret key/);
  });

  it('refuses values that are not sealed values', () => {
    for (const value of ['', 'plain token', 'v2.a.b.c.d', 'v1.a.b.c']) {
      expect(() => cipher.open(value, BOB)).toThrow(/not a sealed value/);
    }
  });

  it('refuses a secret of the wrong length', () => {
    expect(() => createConnectorCipher(randomBytes(16))).toThrow(/32 bytes/);
  });
});
