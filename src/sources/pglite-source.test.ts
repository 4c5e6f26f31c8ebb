import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSqlSourceSuite, notesSetup } from '../../test/support/conformance/sources/sql-source-suite.ts';
import { useFixture } from '../../test/support/lifecycle.ts';
import { compilePgliteWasm } from './pglite-engine.ts';
import { createPgliteSource, type PgliteSource } from './pglite-source.ts';

const wasmModule = compilePgliteWasm();
let snapshot: Promise<Uint8Array> | undefined;
/** The prepared database as a snapshot, built once per file: each source starts from it. */
function preparedSnapshot(): Promise<Uint8Array> {
  snapshot ??= (async () => {
    const builder = await createPgliteSource({ wasmModule: await wasmModule, setup: notesSetup });
    try {
      return await builder.snapshot();
    } finally {
      await builder.close();
    }
  })();
  return snapshot;
}

async function openPglite(): Promise<PgliteSource> {
  return createPgliteSource({ wasmModule: await wasmModule, snapshot: await preparedSnapshot(), setup: notesSetup });
}

describeSqlSourceSuite('PGlite', async () => {
  const source = await openPglite();
  return { source, close: () => source.close() };
});

describe('PGlite source (worker-hosted)', () => {
  const source = useFixture(openPglite);

  it('enforces a deadline by restarting the engine, which comes back from its snapshot', async () => {
    await source.transaction((tx) => tx.query(`INSERT INTO notes VALUES (2, 'two')`));
    await source
      .transaction((tx) => tx.query('SELECT count(*) FROM generate_series(1, 2000000000)'), { timeoutMs: 300 })
      .catch(() => undefined);
    expect(source.restarts).toBe(1);
    // The restarted in-memory engine comes back from its snapshot, set up again.
    const rows = await source.query<{ id: number }>('SELECT id FROM notes ORDER BY id');
    expect(rows.rows.map((row) => row.id)).toEqual([1]);
  });

  it('keeps committed data across reopen and across a deadline restart with a data directory', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'behalf-pglite-'));
    const options = { dataDir, snapshot: await preparedSnapshot(), wasmModule: await wasmModule, setup: notesSetup };
    try {
      const first = await createPgliteSource(options);
      await first.transaction((tx) => tx.query(`INSERT INTO notes VALUES (5, 'five')`));
      await first
        .transaction((tx) => tx.query('SELECT count(*) FROM generate_series(1, 2000000000)'), { timeoutMs: 200 })
        .catch(() => undefined);
      expect((await first.query('SELECT id FROM notes WHERE id = 5')).rows).toHaveLength(1);
      await first.close();
      const second = await createPgliteSource(options);
      expect((await second.query('SELECT id FROM notes WHERE id = 5')).rows).toHaveLength(1);
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
