import { describe, expect, it } from 'vitest';
import { BENCHES } from '../cli/commands/bench.ts';

describe('behalf bench audit --quick', () => {
  it('appends through the audit log and the unchained table, verifies the chain and reports the SPEC §10 fields', async () => {
    const lines: string[] = [];
    const result = await BENCHES.audit?.run({ quick: true, onProgress: (line) => lines.push(line) });
    expect(Object.keys(result ?? {})).toEqual([
      'bench',
      'ratio_sequential',
      'ratio_concurrent',
      'audited_per_s',
      'unchained_per_s',
      'verify_per_s',
    ]);
    expect(result).toMatchObject({ bench: 'audit' });
    for (const field of ['ratio_sequential', 'ratio_concurrent', 'audited_per_s', 'unchained_per_s', 'verify_per_s']) {
      expect(result?.[field]).toBeGreaterThan(0);
    }
    // The run verified every record it appended (it throws otherwise) and alternated the sides.
    expect(lines.some((line) => /^verified \d+ records/.test(line))).toBe(true);
    expect(lines.filter((line) => line.includes('concurrent: audited')).length).toBeGreaterThan(0);
    expect(lines.filter((line) => line.includes('concurrent: unchained')).length).toBeGreaterThan(0);
  }, 120_000);
});
