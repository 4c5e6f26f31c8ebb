import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../protocol/errors.ts';

/**
 * What a login started and its callback must agree on (authorization code + PKCE, RFC 7636;
 * `state` and `nonce`, OIDC Core §3.1.2.1). It lives only in the browser that started the login,
 * sealed in a short-lived HttpOnly cookie, so any process of a deployment can finish it.
 */
export interface LoginTransaction {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The redirect URI sent to the provider; the token request must repeat it exactly. */
  redirectUri: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

/** Seals and opens login transactions. */
export interface LoginTransactionSealer {
  seal(transaction: LoginTransaction): string;
  /** The transaction, or undefined when the value was altered, sealed by another key, or is older than `maxAgeMs`. */
  open(sealed: string, now: number): LoginTransaction | undefined;
  readonly maxAgeMs: number;
}

const transactionSchema = z.strictObject({
  state: z.string().min(16).max(256),
  nonce: z.string().min(16).max(256),
  codeVerifier: z.string().min(43).max(128),
  redirectUri: z.string().max(2048),
  createdAt: z.number().int(),
});
const IV_BYTES = 12;
const TAG_BYTES = 16;
const AAD = Buffer.from('behalf/oidc-login-transaction', 'utf8');

/**
 * AES-256-GCM over the JSON transaction: the browser can neither read the PKCE verifier nor
 * change any field (a tampered cookie fails authentication). The key is derived with HKDF from
 * the deployment secret (its own `info`, so the secret can serve other purposes). Without a
 * secret, a random key per process is used: fine for one process, but every process of a
 * multi-process deployment must share `BEHALF_SECRET_KEY` for logins to finish on any of them.
 */
export function createLoginTransactionSealer(secret?: Uint8Array, maxAgeMs = 10 * 60 * 1000): LoginTransactionSealer {
  const material = secret ?? randomBytes(32);
  if (material.byteLength < 32) throw new AppError('bad_request', 'the OIDC transaction secret must be 32 bytes');
  const key = Buffer.from(hkdfSync('sha256', material, new Uint8Array(0), 'behalf/oidc-login-transaction/v1', 32));
  return {
    maxAgeMs,
    seal(transaction) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(AAD);
      const body = Buffer.concat([cipher.update(JSON.stringify(transaction), 'utf8'), cipher.final()]);
      return [iv, body, cipher.getAuthTag()].map((part) => part.toString('base64url')).join('.');
    },
    open(sealed, now) {
      const parts = sealed.split('.');
      if (parts.length !== 3 || sealed.length > 4096) return undefined;
      const [iv, body, tag] = parts.map((part) => Buffer.from(part ?? '', 'base64url'));
      if (!iv || !body || !tag || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return undefined;
      let text: string;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(AAD);
        decipher.setAuthTag(tag);
        text = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
      let parsed: ReturnType<typeof transactionSchema.safeParse>;
      try {
        parsed = transactionSchema.safeParse(JSON.parse(text));
      } catch {
        return undefined;
      }
      if (!parsed.success) return undefined;
      const age = now - parsed.data.createdAt;
      return age >= 0 && age <= maxAgeMs ? parsed.data : undefined;
    },
  };
}
