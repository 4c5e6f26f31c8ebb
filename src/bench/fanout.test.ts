import { describe, expect, it } from 'vitest';
import { runFanoutBench } from './fanout.ts';

describe('runFanoutBench', () => {
  it('delivers through Behalf and a raw ws broadcast and reports the SPEC §10 fields', async () => {
    const lines: string[] = [];
    const result = await runFanoutBench({
      members: 12,
      messages: 20,
      rounds: 2,
      onProgress: (line) => lines.push(line),
    });
    expect(Object.keys(result)).toEqual(['bench', 'members', 'ratio_vs_raw_ws', 'p50_ms', 'p99_ms', 'msgs_per_s']);
    expect(result).toMatchObject({ bench: 'fanout', members: 12 });
    expect(result.ratio_vs_raw_ws).toBeGreaterThan(0);
    expect(result.msgs_per_s).toBeGreaterThan(0);
    expect(result.p99_ms).toBeGreaterThanOrEqual(result.p50_ms);
    expect(lines.some((line) => line.includes('raw ws'))).toBe(true);
  }, 120_000);
});
