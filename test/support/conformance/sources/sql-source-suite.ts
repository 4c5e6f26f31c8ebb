import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlStateOf } from '../../../../src/sources/sql-source-error.ts';
import type { SqlSetupTarget, SqlSource } from '../../../../src/sources/types.ts';

/** A source under test and how to release it. */
export interface SourceUnderTest {
  source: SqlSource;
  close(): Promise<void>;
}

/** Opens a fresh source whose database `notesSetup` prepared. */
export type OpenSource = () => Promise<SourceUnderTest>;

/** The table the suite works on: factories pass this as their source's `setup`. */
export async function notesSetup(target: SqlSetupTarget): Promise<void> {
  await target.exec(`CREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY, body text);
    INSERT INTO notes VALUES (1, 'one') ON CONFLICT DO NOTHING;`);
}

/**
 * What every `SqlSource` adapter guarantees (the port in `types.ts`), whatever the engine: one
 * statement per query, transactions that commit, roll back and stay apart, deadlines that hold
 * without blocking the event loop, and the same JavaScript values for the same SQL.
 */
export function describeSqlSourceSuite(engine: string, open: OpenSource): void {
  describe(`SqlSource adapter (${engine})`, () => {
    let opened: SourceUnderTest | undefined;
    const source = (): SqlSource => {
      if (!opened) throw new Error('the source is not open yet');
      return opened.source;
    };
    beforeAll(async () => {
      opened = await open();
    });
    afterAll(async () => {
      await opened?.close();
    });

    it('runs parameterized statements with object or array rows and reports fields', async () => {
      const objects = await source().query<{ id: number; body: string }>(
        'SELECT id, body FROM notes WHERE id = $1',
        [1],
      );
      expect(objects.rows).toEqual([{ id: 1, body: 'one' }]);
      const arrays = await source().query<unknown[]>('SELECT 1 AS a, 2 AS a', [], { rowMode: 'array' });
      expect(arrays.rows).toEqual([[1, 2]]);
      expect(arrays.fields.map((field) => field.name)).toEqual(['a', 'a']);
      const empty = await source().query('SELECT id FROM notes WHERE false');
      expect(empty).toEqual({ rows: [], fields: [{ name: 'id' }] });
    });

    it('refuses several statements in one query, with or without parameters (extended protocol)', async () => {
      for (const run of [
        () => source().query('SELECT 1; SELECT 2'),
        () => source().query(`SELECT 1; SELECT set_config('role', 'nobody', false)`, []),
        () => source().transaction((tx) => tx.query('SELECT 1; SELECT 2')),
      ]) {
        const error = await run().catch((caught: unknown) => caught);
        expect(sqlStateOf(error)).toBe('42601');
        expect(String(error)).toMatch(/multiple commands/);
      }
    });

    it('reports errors with their SQLSTATE and position', async () => {
      const error = await source()
        .query('SELECT * FROM nowhere')
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: '42P01', position: 15, message: 'relation "nowhere" does not exist' });
    });

    it('reads values the same way on every engine', async () => {
      const { rows } = await source().query<unknown[]>(
        `SELECT 42::bigint, 9007199254740993::bigint, 7::int, 1.5::float8, 2.50::numeric, true, 'x'::text,
                '2026-08-14T09:12:00Z'::timestamptz, '{"a": [1]}'::jsonb, '\\x00ff'::bytea, ARRAY['a', 'b'],
                NULL::text`,
        [],
        { rowMode: 'array' },
      );
      const [row] = rows;
      expect(row?.slice(0, 7)).toEqual([42, 9007199254740993n, 7, 1.5, '2.50', true, 'x']);
      expect(row?.[7]).toEqual(new Date('2026-08-14T09:12:00Z'));
      expect(row?.[8]).toEqual({ a: [1] });
      expect(Buffer.from(row?.[9] as Uint8Array).toString('hex')).toBe('00ff');
      expect(row?.slice(10)).toEqual([['a', 'b'], null]);
    });

    it('commits, rolls back on error, and always rolls back read-only transactions', async () => {
      await source().transaction(async (tx) => {
        await tx.query(`INSERT INTO notes VALUES (2, 'two')`);
      });
      await expect(
        source().transaction(async (tx) => {
          await tx.query(`INSERT INTO notes VALUES (3, 'three')`);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      await source().transaction(
        async (tx) => {
          const mode = await tx.query<{ isolation: string }>(
            `SELECT current_setting('transaction_isolation') AS isolation`,
          );
          expect(mode.rows).toEqual([{ isolation: 'repeatable read' }]);
          const error = await tx.query(`INSERT INTO notes VALUES (4, 'four')`).catch((caught: unknown) => caught);
          expect(sqlStateOf(error)).toBe('25006');
        },
        { readOnly: true },
      );
      const ids = await source().query<{ id: number }>('SELECT id FROM notes ORDER BY id');
      expect(ids.rows.map((row) => row.id)).toEqual([1, 2]);
    });

    it('reports a transaction whose error was swallowed inside fn as rolled back', async () => {
      const error = await source()
        .transaction(async (tx) => {
          await tx.query(`INSERT INTO notes VALUES (5, 'five')`);
          await tx.query('SELECT 1/0').catch(() => undefined);
        })
        .catch((caught: unknown) => caught);
      expect(sqlStateOf(error)).toBe('25P02');
      expect((await source().query('SELECT id FROM notes WHERE id = 5')).rows).toEqual([]);
    });

    it('refuses statements on a transaction that has ended', async () => {
      let escaped: Parameters<Parameters<SqlSource['transaction']>[0]>[0] | undefined;
      await source().transaction(async (tx) => {
        escaped = tx;
      });
      const error = await escaped?.query('SELECT 1').catch((caught: unknown) => caught);
      expect(sqlStateOf(error)).toBe('08003');
    });

    it('keeps concurrent callers apart: a transaction never sees another caller’s settings', async () => {
      const inside = source().transaction(async (tx) => {
        await tx.query(`SELECT set_config('app.marker', 'tx', true)`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        return (await tx.query<{ marker: string }>(`SELECT current_setting('app.marker') AS marker`)).rows[0]?.marker;
      });
      const outside = source().query<{ marker: string | null }>(`SELECT current_setting('app.marker', true) AS marker`);
      expect(await inside).toBe('tx');
      expect((await outside).rows[0]?.marker ?? '').toBe('');
    });

    it('enforces a transaction deadline with 57014, keeping the event loop free, then serves the next query', async () => {
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 20);
      const started = performance.now();
      const error = await source()
        .transaction((tx) => tx.query('SELECT count(*) FROM generate_series(1, 2000000000)'), { timeoutMs: 300 })
        .catch((caught: unknown) => caught);
      clearInterval(ticker);
      expect(sqlStateOf(error)).toBe('57014');
      expect(performance.now() - started).toBeLessThan(1500);
      expect(ticks).toBeGreaterThan(3);
      expect((await source().query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    });

    it('rejects use after close', async () => {
      const other = await open();
      await other.close();
      await expect(other.source.query('SELECT 1')).rejects.toThrow(/closed/);
      const error = await other.source.transaction(async () => 1).catch((caught: unknown) => caught);
      expect(sqlStateOf(error)).toBe('08003');
    });
  });
}
