import { describe, expect, it } from 'vitest';
import { BENCHES } from '../cli/commands/bench.ts';

describe('behalf bench fairness --quick', () => {
  it('measures the prober’s SELECT 1 idle, under the flooder’s flood with and without the fair queue, and a deadline stall', async () => {
    const lines: string[] = [];
    const result = await BENCHES.fairness?.run({ quick: true, onProgress: (line) => lines.push(line) });
    expect(Object.keys(result ?? {})).toEqual([
      'bench',
      'idle_ms',
      'loaded_ms',
      'ratio',
      'unscheduled_loaded_ms',
      'unscheduled_ratio',
      'cost_budget',
      'flood_completed',
      'timeout_stall_ms',
    ]);
    expect(result).toMatchObject({ bench: 'fairness', cost_budget: 1000 });
    for (const field of ['idle_ms', 'loaded_ms', 'ratio', 'unscheduled_loaded_ms', 'timeout_stall_ms']) {
      expect(result?.[field]).toBeGreaterThan(0);
    }
    // The flood really ran (allowed by the budget) while the prober measured, and the runaway timed out.
    expect(result?.flood_completed).toBeGreaterThan(0);
    expect(lines.some((line) => line.startsWith("runaway: the flooder's statement ended timeout"))).toBe(true);
  }, 120_000);
});
