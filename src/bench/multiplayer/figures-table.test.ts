import { describe, expect, it } from 'vitest';
import type { MultiplayerBenchResult, MultiplayerFigures } from '../multiplayer-bench.ts';
import { multiplayerTable } from './figures-table.ts';

const figures = (shared: number, shareable: number): MultiplayerFigures => ({
  conversations: 200,
  benign: 80,
  hostile: 120,
  answers: 800,
  shared_parts: 12,
  deliveries: 2000,
  leaks: 0,
  utility: shareable === 0 ? 1 : shared / shareable,
  shareable,
  shared_with_thread: shared,
});

describe('behalf bench multiplayer without --json', () => {
  it('shows one row per model and lazy setting, side by side, then the headline', () => {
    const result: MultiplayerBenchResult = {
      bench: 'multiplayer',
      workspace: 'examples/shop',
      conversations: 200,
      benign: 80,
      hostile: 120,
      templates: {},
      memory_cases: true,
      leaks: 0,
      utility: 0.925,
      utility_lazy_off: 0.5,
      models: {
        offline: { lazy: figures(370, 400), lazy_off: figures(200, 400) },
        adversarial: { lazy: figures(0, 0), lazy_off: figures(0, 0) },
      },
      leak_examples: [],
      runtime_s: 300,
    };
    const lines = multiplayerTable(result);
    const rows = lines.filter((line) => /^(offline|adversarial) /.test(line));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(
      /^offline\s+on\s+200 \(80 benign, 120 hostile\)\s+800\s+12\s+2000\s+0\s+0\.925\s+370 \/ 400$/,
    );
    expect(rows[1]).toMatch(/^offline\s+off\s.*0\.500\s+200 \/ 400$/);
    expect(rows[2]).toMatch(/^adversarial\s+on\s.*\s0\s+—\s+0 \/ 0$/);
    expect(lines.at(-1)).toMatch(/^leaks 0 \(must be 0\); utility 0\.925 with lazy context .* 0\.500 without; 300 s$/);
  });
});
