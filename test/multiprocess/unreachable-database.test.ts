import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.ts';
import { freePort } from '../../src/cli/free-port.ts';
import { runBehalf } from '../support/spawn-behalf.ts';

/**
 * Issue 4, "Bad input and faults": the database unreachable at start. Needs no PostgreSQL (the
 * port is closed on purpose). Losing the database while serving: `two-processes.test.ts`.
 */
describe('behalf serve when its database is unreachable at start', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'behalf-unreachable-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('exits with code 3 and a message naming host and port, never the password', async () => {
    // A loopback port nothing listens on (bound, then released).
    const port = await freePort('127.0.0.1');
    const result = await runBehalf(['serve', '--port', '0', '--data', dataDir], {
      env: { DATABASE_URL: `postgres://behalf:s3cret-pw@127.0.0.1:${port}/behalf` },
    });
    expect(result.code, result.stderr).toBe(EXIT.failure);
    expect(result.stderr).toMatch(
      new RegExp(`error: Cannot reach PostgreSQL database "behalf" at 127\\.0\\.0\\.1:${port}`),
    );
    expect(result.stdout).not.toContain('serving');
    expect(result.stdout + result.stderr).not.toContain('s3cret');
  });
});
