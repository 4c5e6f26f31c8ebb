import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../protocol/errors.ts';
import { SECRET_KEY_BYTES } from './connector-credentials-cipher.ts';

/** Name of the generated key file in the data directory. */
export const SECRET_KEY_FILE = 'secret.key';

/** Where the deployment secret comes from: configuration first, else a key file in the data directory. */
export interface SecretKeySource {
  /** The value of `BEHALF_SECRET_KEY`: 32 bytes as 64 hex digits or base64 / base64url. */
  configured?: string | undefined;
  /** The data directory; `secret.key` is created there (mode 0600) when nothing is configured. */
  dataDir?: string | undefined;
}

/**
 * Loads the secret that seals connector credentials. A configured key wins (every process of a
 * multi-process deployment must share it). Otherwise the data directory's `secret.key` is read,
 * or created with owner-only permissions; a key file others can read is refused rather than used.
 */
export async function loadSecretKey(source: SecretKeySource): Promise<Uint8Array> {
  if (source.configured !== undefined && source.configured.trim() !== '') {
    return parseSecretKey(source.configured, 'BEHALF_SECRET_KEY');
  }
  if (!source.dataDir) {
    throw new AppError('bad_request', 'No secret key: set BEHALF_SECRET_KEY or give a data directory for secret.key.');
  }
  const path = join(source.dataDir, SECRET_KEY_FILE);
  await mkdir(source.dataDir, { recursive: true });
  try {
    // `wx`: create only if absent, so two processes starting at once never both write a key.
    await writeFile(path, `${randomBytes(SECRET_KEY_BYTES).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const mode = (await stat(path)).mode;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new AppError(
      'internal',
      `${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it.`,
    );
  }
  return parseSecretKey(await readFile(path, 'utf8'), path);
}

/** Decodes a 32-byte key written as hex, base64 or base64url; anything else is a clear error. */
export function parseSecretKey(text: string, origin: string): Uint8Array {
  const value = text.trim();
  let bytes: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(value)) bytes = Buffer.from(value, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value))
    bytes = Buffer.from(value.replaceAll('+', '-').replaceAll('/', '_'), 'base64url');
  if (!bytes || bytes.byteLength !== SECRET_KEY_BYTES) {
    throw new AppError(
      'bad_request',
      `${origin} must be ${SECRET_KEY_BYTES} random bytes as 64 hex digits or base64 (e.g. \`openssl rand -base64 32\`).`,
    );
  }
  return new Uint8Array(bytes);
}
