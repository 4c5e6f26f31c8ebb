import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSecretKey, parseSecretKey, SECRET_KEY_FILE } from './connector-credentials-key.ts';

describe('secret key loading', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'behalf-key-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('accepts 32 bytes as hex, base64 and base64url', () => {
    const bytes = randomBytes(32);
    for (const text of [bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url')]) {
      expect(Buffer.from(parseSecretKey(text, 'BEHALF_SECRET_KEY'))).toEqual(bytes);
    }
  });

  it('refuses anything that is not exactly 32 bytes, with a hint', () => {
    for (const text of ['', 'hunter2', randomBytes(16).toString('hex'), randomBytes(33).toString('base64')]) {
      expect(() => parseSecretKey(text, 'BEHALF_SECRET_KEY')).toThrow(/BEHALF_SECRET_KEY must be 32 random bytes/);
    }
  });

  it('prefers the configured key over the key file', async () => {
    const bytes = randomBytes(32);
    expect(Buffer.from(await loadSecretKey({ configured: bytes.toString('base64'), dataDir: directory }))).toEqual(
      bytes,
    );
    await expect(stat(join(directory, SECRET_KEY_FILE))).rejects.toThrow();
  });

  it('generates a key file readable by its owner only, and reads the same key back', async () => {
    const first = await loadSecretKey({ dataDir: join(directory, 'data') });
    const path = join(directory, 'data', SECRET_KEY_FILE);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(Buffer.from(await loadSecretKey({ dataDir: join(directory, 'data') }))).toEqual(Buffer.from(first));
    expect((await readFile(path, 'utf8')).trim()).toHaveLength(43);
  });

  it('lets concurrent first starts agree on one key', async () => {
    const keys = await Promise.all(Array.from({ length: 5 }, () => loadSecretKey({ dataDir: directory })));
    for (const key of keys) expect(Buffer.from(key)).toEqual(Buffer.from(keys[0] as Uint8Array));
  });

  it('refuses a key file other users can read', async () => {
    const path = join(directory, SECRET_KEY_FILE);
    await writeFile(path, randomBytes(32).toString('base64url'));
    await chmod(path, 0o644);
    await expect(loadSecretKey({ dataDir: directory })).rejects.toThrow(/readable by other users.*chmod 600/);
  });

  it('refuses to run with neither a configured key nor a data directory', async () => {
    await expect(loadSecretKey({})).rejects.toMatchObject({ code: 'bad_request' });
  });
});
