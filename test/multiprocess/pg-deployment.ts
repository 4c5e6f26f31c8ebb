import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { loginUrl, TEST_LOGIN_ROLE } from '../support/conformance/sources/acme-fixtures.ts';
import { createScratchDatabase, type ScratchDatabase } from '../support/postgres.ts';
import { type BehalfProcess, BehalfProcesses } from '../support/spawn-behalf.ts';

/**
 * One PostgreSQL deployment for a multi-process test file: a scratch database for the store, one
 * for the Acme source (set up by the first process through its admin URL, under an advisory lock;
 * queried as the non-superuser login `behalf_app`, as in production), a data directory
 * nobody else uses, and the `behalf serve` processes started on them — all removed by `close`.
 */
export interface PgDeployment {
  store: ScratchDatabase;
  acme: ScratchDatabase;
  dataDir: string;
  /** The environment every process of the deployment gets. */
  env: Record<string, string>;
  /** Starts one more `behalf serve` of this deployment. */
  spawn(name: string): Promise<BehalfProcess>;
  /** The pid in the lease of a run (`lease_owner` is `host:pid:suffix`), or null when unleased. */
  leaseHolderPid(runId: string): Promise<number | null>;
  /** Kills every process, then drops both databases and the data directory. */
  close(): Promise<void>;
}

export async function createPgDeployment(env: Record<string, string> = {}): Promise<PgDeployment> {
  const [store, acme, dataDir] = await Promise.all([
    createScratchDatabase('behalf_mp_store'),
    createScratchDatabase('behalf_mp_acme'),
    mkdtemp(join(tmpdir(), 'behalf-mp-')),
  ]);
  const processes = new BehalfProcesses();
  const settings = {
    DATABASE_URL: store.url,
    BEHALF_ACME_SOURCE_URL: await loginUrl(acme.url, TEST_LOGIN_ROLE),
    BEHALF_ACME_SOURCE_ADMIN_URL: acme.url,
    BEHALF_PUBLIC_URL: 'http://behalf.test',
    ...env,
  };
  return {
    store,
    acme,
    dataDir,
    env: settings,
    spawn: (name) => processes.spawn({ name, dataDir, env: settings }),
    async leaseHolderPid(runId) {
      const client = new Client({ connectionString: store.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ lease_owner: string | null }>(
          'SELECT lease_owner FROM runs WHERE id = $1',
          [runId],
        );
        const owner = rows[0]?.lease_owner;
        return owner ? Number(owner.split(':').at(-2)) : null;
      } finally {
        await client.end();
      }
    },
    async close() {
      await processes.killAll();
      await Promise.all([store.drop(), acme.drop(), rm(dataDir, { recursive: true, force: true })]);
    },
  };
}
