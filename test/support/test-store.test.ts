import { Client } from 'pg';
import { describe, expect, it } from 'vitest';
import { ACME_USERS } from './acme/demo.ts';
import { postgresTestUrl, requirePostgres } from './postgres.ts';
import { openTestStore } from './test-store.ts';

const postgres = await requirePostgres('the PostgreSQL test store (src/app/test-store.ts)');

describe('openTestStore', () => {
  it('opens an empty in-memory SQLite store', async () => {
    const { store, close } = await openTestStore({ kind: 'sqlite' });
    expect(store.kind).toBe('sqlite');
    expect(await store.audit.count()).toBe(0);
    await close();
  });

  it.skipIf(!postgres)('gives each PostgreSQL app a migrated database of its own, dropped by close()', async () => {
    const first = await openTestStore({ kind: 'postgres', postgresUrl: postgresTestUrl() });
    const second = await openTestStore({ kind: 'postgres', postgresUrl: postgresTestUrl() });
    const nameOf = async (test: typeof first) =>
      (await test.store.pool.query<{ name: string }>('SELECT current_database() AS name')).rows[0]?.name as string;
    const names = [await nameOf(first), await nameOf(second)];
    expect(names[0]).not.toBe(names[1]);
    const [someone] = ACME_USERS;
    if (!someone) throw new Error('no Acme user');
    await first.store.users.upsert(someone);
    expect(await first.store.users.get(someone.id)).toBeDefined();
    expect(await second.store.users.get(someone.id)).toBeUndefined();

    await first.close();
    await second.close();
    const admin = new Client({ connectionString: postgresTestUrl() });
    await admin.connect();
    try {
      const left = await admin.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [names]);
      expect(left.rows).toEqual([]);
    } finally {
      await admin.end();
    }
  });

  it("refuses the 'postgres' kind without a server", async () => {
    await expect(openTestStore({ kind: 'postgres' })).rejects.toThrow(/postgresUrl/);
  });
});
