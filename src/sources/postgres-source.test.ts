import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeSqlSourceSuite, notesSetup } from '../../test/support/conformance/sources/sql-source-suite.ts';
import { openAdminSession } from '../../test/support/example-workspace.ts';
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from '../../test/support/postgres.ts';
import { createPostgresSource, type PostgresSource } from './postgres-source.ts';
import { SqlSourceError, sqlStateOf } from './sql-source-error.ts';
import type { SqlSetupTarget } from './types.ts';

const postgres = await requirePostgres('PostgreSQL source adapter tests (src/sources/postgres-source.test.ts)');

describe.skipIf(!postgres)('PostgreSQL source (pg.Pool)', () => {
  describeSqlSourceSuite('PostgreSQL', async () => {
    const database = await createScratchDatabase('behalf_source');
    const source = await createPostgresSource({ connectionString: database.url, poolSize: 4, setup: notesSetup });
    return {
      source,
      async close() {
        await source.close();
        await database.drop();
      },
    };
  });

  describe('deadlines, lost connections and unreachable servers', () => {
    let database: ScratchDatabase;
    let admin: { target: SqlSetupTarget; close(): Promise<void> };
    let source: PostgresSource;
    beforeAll(async () => {
      database = await createScratchDatabase('behalf_source');
      admin = await openAdminSession(database.url);
      source = await createPostgresSource({ connectionString: database.url, poolSize: 1, setup: notesSetup });
    });
    afterAll(async () => {
      await source?.close();
      await admin?.close();
      await database?.drop();
    });

    const activeProbes = async () => {
      const { rows } = await admin.target.query<{ count: number }>(
        `SELECT count(*) AS count FROM pg_stat_activity
         WHERE state = 'active' AND query LIKE '%behalf-deadline-probe%' AND pid <> pg_backend_pid()`,
      );
      return rows[0]?.count;
    };

    it('settles at the deadline when the server does not answer, and cancels the backend', async () => {
      const started = performance.now();
      const error = await source
        .transaction(
          async (tx) => {
            // Trusted code switching the server-side limit off: only the client-side deadline is left.
            await tx.query('SET LOCAL statement_timeout = 0');
            await tx.query('SELECT pg_sleep(30) /* behalf-deadline-probe */');
          },
          { timeoutMs: 300 },
        )
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SqlSourceError);
      expect(sqlStateOf(error)).toBe('57014');
      expect(performance.now() - started).toBeLessThan(1000);
      await expect.poll(activeProbes, { timeout: 3000, interval: 50 }).toBe(0);
      // The pool's only connection was discarded and replaced.
      expect((await source.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    });

    it('counts the wait for a free connection against the deadline', async () => {
      let release: () => void = () => {};
      let holding: () => void = () => {};
      const holds = new Promise<void>((resolve) => {
        holding = resolve;
      });
      const held = source.transaction(
        () =>
          new Promise<void>((resolve) => {
            release = resolve;
            holding();
          }),
      );
      await holds;
      const started = performance.now();
      const error = await source
        .transaction((tx) => tx.query('SELECT 1'), { timeoutMs: 200 })
        .catch((caught: unknown) => caught);
      expect(sqlStateOf(error)).toBe('57014');
      expect(performance.now() - started).toBeLessThan(800);
      release();
      await held;
      expect((await source.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    });

    it('fails a transaction whose connection the server ends, and replaces the connection', async () => {
      const error = await source
        .transaction(async (tx) => {
          const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          await admin.target.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
          await tx.query('SELECT 1');
        })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SqlSourceError);
      expect(['57P01', '08006']).toContain(sqlStateOf(error));
      expect((await source.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    });

    it('refuses to open an unreachable server with 08001, naming it without the password', async () => {
      const error = await createPostgresSource({
        connectionString: 'postgres://someone:sekret-password@127.0.0.1:1/nowhere',
        connectTimeoutMs: 1000,
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SqlSourceError);
      expect(sqlStateOf(error)).toBe('08001');
      expect((error as Error).message).toMatch(
        /^cannot reach PostgreSQL database "nowhere" at 127\.0\.0\.1:1 as someone/,
      );
      expect((error as Error).message).not.toContain('sekret');
    });

    it('closes the pool if setup fails, and reports the setup’s own error', async () => {
      const error = await createPostgresSource({
        connectionString: database.url,
        setup: async () => {
          throw new Error('setup refused');
        },
      }).catch((caught: unknown) => caught);
      expect((error as Error).message).toBe('setup refused');
    });
  });
});
