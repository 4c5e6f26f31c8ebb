import { describe, expect, it } from 'vitest';
import { BENCHES } from '../cli/commands/bench.ts';

describe('behalf bench scale --quick', () => {
  it('decides on a base and a 100× deployment, cold and warm, and reports the SPEC §10 fields', async () => {
    const lines: string[] = [];
    const result = await BENCHES.scale?.run({ quick: true, onProgress: (line) => lines.push(line) });
    expect(Object.keys(result ?? {})).toEqual([
      'bench',
      'growth',
      'ratio_cold',
      'ratio_warm',
      'cold_p50_us',
      'warm_p50_us',
    ]);
    expect(result).toMatchObject({ bench: 'scale', growth: 100 });
    for (const field of ['ratio_cold', 'ratio_warm', 'cold_p50_us', 'warm_p50_us']) {
      expect(result?.[field]).toBeGreaterThan(0);
    }
    // The grown deployment really is 100× the base one, and every decision kind was timed on both.
    expect(lines.some((line) => line.startsWith('base: 10 users, 4 threads, 20 documents'))).toBe(true);
    expect(lines.some((line) => line.startsWith('grown: 1000 users, 400 threads, 2000 documents'))).toBe(true);
    for (const kind of ['invokeAgent', 'useTool', 'readDocument', 'readLabel']) {
      expect(lines.filter((line) => line.includes(`cold ${kind}`) && line.includes(`warm ${kind}`))).toHaveLength(2);
    }
  }, 120_000);
});
