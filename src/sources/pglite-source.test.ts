import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePgliteWasm } from './pglite-engine.ts';
import { createPgliteSource, type PgliteSource } from './pglite-source.ts';
import { sqlStateOf } from './sql-source-error.ts';

const setup = async (target: { exec(script: string): Promise<void> }) => {
  await target.exec(`CREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY, body text);
    INSERT INTO notes VALUES (1, 'one') ON CONFLICT DO NOTHING;`);
};

describe('PGlite source (worker-hosted)', () => {
  let wasmModule: WebAssembly.Module;
  let source: PgliteSource;
  let snapshot: Uint8Array;

  beforeAll(async () => {
    wasmModule = await compilePgliteWasm();
    const builder = await createPgliteSource({ wasmModule, setup });
    snapshot = await builder.snapshot();
    await builder.close();
    source = await createPgliteSource({ wasmModule, snapshot, setup });
  });
  afterAll(async () => {
    await source?.close();
  });

  it('runs parameterized statements with object or array rows and reports fields', async () => {
    const objects = await source.query<{ id: number; body: string }>('SELECT id, body FROM notes WHERE id = $1', [1]);
    expect(objects.rows).toEqual([{ id: 1, body: 'one' }]);
    const arrays = await source.query<unknown[]>('SELECT 1 AS a, 2 AS a', [], { rowMode: 'array' });
    expect(arrays.rows).toEqual([[1, 2]]);
    expect(arrays.fields.map((field) => field.name)).toEqual(['a', 'a']);
  });

  it('refuses several statements in one query (extended protocol)', async () => {
    const error = await source.query('SELECT 1; SELECT 2').catch((caught: unknown) => caught);
    expect(sqlStateOf(error)).toBe('42601');
    expect(String(error)).toMatch(/multiple commands/);
  });

  it('commits, rolls back on error, and always rolls back read-only transactions', async () => {
    await source.transaction(async (tx) => {
      await tx.query(`INSERT INTO notes VALUES (2, 'two')`);
    });
    await expect(
      source.transaction(async (tx) => {
        await tx.query(`INSERT INTO notes VALUES (3, 'three')`);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await source.transaction(
      async (tx) => {
        const error = await tx.query(`INSERT INTO notes VALUES (4, 'four')`).catch((caught: unknown) => caught);
        expect(sqlStateOf(error)).toBe('25006');
      },
      { readOnly: true },
    );
    const ids = await source.query<{ id: number }>('SELECT id FROM notes ORDER BY id');
    expect(ids.rows.map((row) => row.id)).toEqual([1, 2]);
  });

  it('reports a transaction whose error was swallowed inside fn as rolled back', async () => {
    const error = await source
      .transaction(async (tx) => {
        await tx.query('SELECT 1/0').catch(() => undefined);
      })
      .catch((caught: unknown) => caught);
    expect(sqlStateOf(error)).toBe('25P02');
  });

  it('serializes concurrent callers: a transaction never sees another caller’s statements', async () => {
    const inside = source.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.marker', 'tx', true)`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return (await tx.query<{ marker: string }>(`SELECT current_setting('app.marker') AS marker`)).rows[0]?.marker;
    });
    const outside = source.query<{ marker: string | null }>(`SELECT current_setting('app.marker', true) AS marker`);
    expect(await inside).toBe('tx');
    expect((await outside).rows[0]?.marker ?? '').toBe('');
  });

  it('enforces a transaction deadline by restarting the engine, keeping the event loop free', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 20);
    const started = performance.now();
    const error = await source
      .transaction((tx) => tx.query('SELECT count(*) FROM generate_series(1, 2000000000)'), { timeoutMs: 300 })
      .catch((caught: unknown) => caught);
    clearInterval(ticker);
    expect(sqlStateOf(error)).toBe('57014');
    expect(performance.now() - started).toBeLessThan(1500);
    expect(ticks).toBeGreaterThan(3);
    expect(source.restarts).toBe(1);
    // The restarted in-memory engine comes back from its snapshot, set up again.
    const rows = await source.query<{ id: number }>('SELECT id FROM notes ORDER BY id');
    expect(rows.rows.map((row) => row.id)).toEqual([1]);
  });

  it('keeps committed data across reopen and across a deadline restart with a data directory', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'behalf-pglite-'));
    try {
      const first = await createPgliteSource({ dataDir, snapshot, wasmModule, setup });
      await first.transaction((tx) => tx.query(`INSERT INTO notes VALUES (5, 'five')`));
      await first
        .transaction((tx) => tx.query('SELECT count(*) FROM generate_series(1, 2000000000)'), { timeoutMs: 200 })
        .catch(() => undefined);
      expect((await first.query('SELECT id FROM notes WHERE id = 5')).rows).toHaveLength(1);
      await first.close();
      const second = await createPgliteSource({ dataDir, snapshot, wasmModule, setup });
      expect((await second.query('SELECT id FROM notes WHERE id = 5')).rows).toHaveLength(1);
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('rejects use after close', async () => {
    const other = await createPgliteSource({ wasmModule, snapshot });
    await other.close();
    await expect(other.query('SELECT 1')).rejects.toThrow(/closed/);
  });
});
