import { describe, expect, it } from 'vitest';
import { recallAt } from '../app/bench-stores.ts';
import { BENCHES } from '../cli/commands/bench.ts';

describe('recallAt', () => {
  const oracle = [
    { id: 'a', rank: -3 },
    { id: 'b', rank: -2 },
    { id: 'c', rank: -2 },
    { id: 'd', rank: -1 },
  ];
  const readable = new Set(['a', 'b', 'c', 'd']);

  it('accepts either of two documents tied at the k-th rank', () => {
    expect(recallAt([{ id: 'a' }, { id: 'c' }], oracle, readable, 2)).toEqual({ found: 2, expected: 2 });
    expect(recallAt([{ id: 'a' }, { id: 'b' }], oracle, readable, 2)).toEqual({ found: 2, expected: 2 });
  });

  it('counts a missing or out-of-order authorized document as a miss', () => {
    expect(recallAt([{ id: 'a' }, { id: 'd' }], oracle, readable, 2)).toEqual({ found: 1, expected: 2 });
    expect(recallAt([{ id: 'a' }], oracle, readable, 2)).toEqual({ found: 1, expected: 2 });
  });

  it('treats a hit the reader may not read as a leak', () => {
    expect(() => recallAt([{ id: 'x' }], oracle, readable, 2)).toThrow(/may not read/);
  });
});

describe('behalf bench search --quick', () => {
  it('finds exactly what the oracle authorizes and reports the SPEC §10 fields', async () => {
    const result = await BENCHES.search?.run({ quick: true, onProgress: () => {} });
    expect(Object.keys(result ?? {})).toEqual([
      'bench',
      'docs',
      'selectivity',
      'ratio_filtered_vs_unfiltered',
      'recall',
      'p50_ms',
      'p99_ms',
      'tool_p50_ms',
      'tool_recall',
    ]);
    expect(result).toMatchObject({ bench: 'search', docs: 3000, recall: 1, tool_recall: 1 });
    expect(result?.selectivity).toBeGreaterThan(0.07);
    expect(result?.selectivity).toBeLessThan(0.13);
    expect(result?.ratio_filtered_vs_unfiltered).toBeGreaterThan(0);
    expect(result?.p50_ms).toBeGreaterThan(0);
    expect(result?.p99_ms).toBeGreaterThanOrEqual(result?.p50_ms as number);
    expect(result?.tool_p50_ms).toBeGreaterThan(0);
  }, 120_000);
});
