import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLoginTransactionSealer, type LoginTransaction } from './login-transaction.ts';

const transaction: LoginTransaction = {
  state: 'state-0123456789abcdef',
  nonce: 'nonce-0123456789abcdef',
  codeVerifier: 'v'.repeat(43),
  redirectUri: 'https://behalf.example/api/auth/oidc/callback',
  createdAt: 1_000_000,
};

describe('login transaction cookie', () => {
  const secret = randomBytes(32);

  it('round-trips, hiding the PKCE verifier', () => {
    const sealer = createLoginTransactionSealer(secret);
    const sealed = sealer.seal(transaction);
    expect(sealed).not.toContain(transaction.codeVerifier);
    expect(sealed).not.toContain('state-');
    expect(sealer.open(sealed, transaction.createdAt + 1000)).toEqual(transaction);
    // Another process with the same deployment secret opens it too.
    expect(createLoginTransactionSealer(secret).open(sealed, transaction.createdAt)).toEqual(transaction);
  });

  it('refuses an altered value, another key, and an expired transaction', () => {
    const sealer = createLoginTransactionSealer(secret, 600_000);
    const sealed = sealer.seal(transaction);
    const [iv, body, tag] = sealed.split('.');
    const flipped = Buffer.from(body as string, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(sealer.open(`${iv}.${flipped.toString('base64url')}.${tag}`, transaction.createdAt)).toBeUndefined();
    expect(sealer.open(`${iv}.${body}`, transaction.createdAt)).toBeUndefined();
    expect(createLoginTransactionSealer(randomBytes(32)).open(sealed, transaction.createdAt)).toBeUndefined();
    expect(sealer.open(sealed, transaction.createdAt + 600_001)).toBeUndefined();
    expect(sealer.open(sealed, transaction.createdAt - 1)).toBeUndefined();
    expect(sealer.open('garbage', transaction.createdAt)).toBeUndefined();
  });
});
