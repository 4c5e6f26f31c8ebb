import { beforeAll, describe, expect, it } from 'vitest';
import {
  REGRESSION_ADVERSARIAL_TEMPLATES,
  REGRESSION_PER_TEMPLATE,
  regressionSet,
} from './multiplayer/regression-set.ts';
import { type MultiplayerBenchResult, runMultiplayerBench } from './multiplayer-bench.ts';

// Issue 10 item 5: the multiplayer leakage benchmark's conversations as a regression set. The
// deterministic subset of `regression-set.ts` (every template, benign and hostile, both models)
// keeps this under a minute or two on a 2-core machine; `behalf bench multiplayer` plays all 200.
describe('behalf bench multiplayer: the regression set (issue 10 item 5)', () => {
  let result: MultiplayerBenchResult;
  beforeAll(async () => {
    result = await runMultiplayerBench(regressionSet);
  }, 300_000);

  it('plays every template, benign and hostile, with both models', () => {
    const templates = Object.keys(result.templates);
    expect(templates.length).toBeGreaterThanOrEqual(9);
    for (const count of Object.values(result.templates)) expect(count).toBe(REGRESSION_PER_TEMPLATE);
    expect(result.benign).toBeGreaterThan(0);
    expect(result.hostile).toBeGreaterThan(0);
    expect(result.memory_cases).toBe(true);
    const adversary = result.models.adversarial;
    expect(adversary?.lazy.conversations).toBe(REGRESSION_ADVERSARIAL_TEMPLATES.length);
    expect(adversary?.lazy).toMatchObject({ benign: 1, hostile: REGRESSION_ADVERSARIAL_TEMPLATES.length - 1 });
  });

  it('delivers nothing to a reader the oracle says may not see it, with either model and either design', () => {
    expect(result.leak_examples).toEqual([]);
    expect(result.leaks).toBe(0);
    for (const figures of Object.values(result.models)) {
      expect(figures.lazy.leaks).toBe(0);
      expect(figures.lazy_off?.leaks).toBe(0);
    }
  });

  it('shows the thread at least 90 % of the answers it could see with lazy context, and measurably fewer without', () => {
    const offline = result.models.offline;
    expect(offline?.lazy.shareable).toBeGreaterThan(10);
    expect(result.utility).toBeGreaterThanOrEqual(0.9);
    expect(result.utility_lazy_off).toBeLessThan(result.utility - 0.1);
    // Same conversations, same oracle: only the design differs.
    expect(offline?.lazy_off?.shareable).toBe(offline?.lazy.shareable);
  });

  it('splits a question mixing a table everyone may read with one they may not: the room gets a part', () => {
    expect(result.templates['mixed-question']).toBe(REGRESSION_PER_TEMPLATE);
    expect(result.models.offline?.lazy.shared_parts).toBeGreaterThanOrEqual(REGRESSION_PER_TEMPLATE);
  });
});

// Every generated conversation, not only the subset above: the offline model with lazy context,
// the design that ships (~25 s on an idle 2-core machine; the comparison with lazy context off and
// the adversary's runs are in the subset above and in `behalf bench multiplayer`).
describe('behalf bench multiplayer: all 200 conversations with the offline model (issue 10 item 5)', () => {
  it('delivers nothing the oracle forbids, and shows the thread at least 90 % of what it could see', async () => {
    const result = await runMultiplayerBench({ models: ['offline'], compareLazyOff: false });
    expect(result.conversations).toBeGreaterThanOrEqual(200);
    expect(result.models.offline?.lazy.conversations).toBe(result.conversations);
    expect(result.leak_examples).toEqual([]);
    expect(result.leaks).toBe(0);
    expect(result.utility).toBeGreaterThanOrEqual(0.9);
    expect(result.models.offline?.lazy_off).toBeUndefined();
  }, 600_000);
});
