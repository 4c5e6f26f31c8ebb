import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../protocol/errors.ts';
import type { ConnectorCredentialKey } from './connector-credential-types.ts';

/** Seals and opens connector tokens (AES-256-GCM), each bound to its (tenant, user, resource). */
export interface ConnectorCipher {
  /** Identifies the key (not secret): a sealed value names the key it needs. */
  readonly keyId: string;
  seal(plaintext: string, key: ConnectorCredentialKey): string;
  /**
   * Opens a sealed value for exactly this (tenant, user, resource). Throws `AppError` `internal`
   * when it was sealed with another secret, was altered, or belongs to another partition —
   * never returns another row's plaintext.
   */
  open(sealed: string, key: ConnectorCredentialKey): string;
}

/** Length of the deployment secret the cipher is derived from. */
export const SECRET_KEY_BYTES = 32;

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * A cipher keyed by the deployment secret. The AES key is derived with HKDF (its own `info`), so
 * the same `BEHALF_SECRET_KEY` can serve other purposes without any two sharing a key. The
 * authenticated data is the row's partition: a sealed token moved to another user's (or
 * tenant's, or server's) row no longer authenticates.
 */
export function createConnectorCipher(secret: Uint8Array): ConnectorCipher {
  if (secret.byteLength !== SECRET_KEY_BYTES) {
    throw new AppError('bad_request', `the secret key must be ${SECRET_KEY_BYTES} bytes`);
  }
  const aesKey = Buffer.from(hkdfSync('sha256', secret, new Uint8Array(0), 'behalf/connector-credentials/v1', 32));
  const keyId = Buffer.from(
    hkdfSync('sha256', secret, new Uint8Array(0), 'behalf/connector-credentials/key-id', 6),
  ).toString('base64url');

  return {
    keyId,
    seal(plaintext, key) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', aesKey, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(associatedData(key));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, keyId, iv, ciphertext, cipher.getAuthTag()]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    open(sealed, key) {
      const parts = sealed.split('.');
      const [version, sealedKeyId, iv, ciphertext, tag] = parts;
      if (parts.length !== 5 || version !== VERSION || !iv || ciphertext === undefined || !tag) {
        throw unreadable('it is not a sealed value this version of Behalf knows');
      }
      if (sealedKeyId !== keyId) {
        throw unreadable(
          `it was sealed with another secret key (${sealedKeyId}, this deployment has ${keyId}); check BEHALF_SECRET_KEY`,
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', aesKey, Buffer.from(iv, 'base64url'), {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(associatedData(key));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw unreadable('it failed authentication: altered, or moved from another user, tenant or server');
      }
    },
  };
}

// JSON of the triple: no choice of user id or resource can make two partitions encode alike.
function associatedData(key: ConnectorCredentialKey): Buffer {
  return Buffer.from(JSON.stringify(['behalf/connector-credential', key.tenant, key.user, key.resource]), 'utf8');
}

function unreadable(why: string): AppError {
  return new AppError('internal', `A stored connector credential cannot be opened: ${why}.`);
}
