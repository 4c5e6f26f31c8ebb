import { describe, expect, it } from 'vitest';
import { describeFairUseSuite } from '../../test/support/conformance/sources/fair-use-suite.ts';
import { describeOnEveryExampleSource } from '../../test/support/example-workspace.ts';
import { createFairUse, fairUseSettingsFromEnv, PGLITE_FAIR_USE, postgresFairUse } from './fair-use.ts';

await describeOnEveryExampleSource('the fair use suite', describeFairUseSuite);

describe('fair use settings', () => {
  it('reads the BEHALF_SQL_* variables; unset or empty keeps the defaults', () => {
    expect(fairUseSettingsFromEnv({})).toEqual({});
    expect(
      fairUseSettingsFromEnv({
        BEHALF_SQL_COST_BUDGET: '50000',
        BEHALF_SQL_TIMEOUT_MS: '3000',
        BEHALF_SQL_CONCURRENCY: ' 8 ',
        BEHALF_SQL_PER_PERSON: '3',
        BEHALF_SQL_QUEUE_PER_PERSON: '',
      }),
    ).toEqual({ costBudget: 50_000, timeoutMs: 3000, concurrency: 8, perPerson: 3 });
  });

  it('refuses a value that is not an integer in range, naming the variable', () => {
    expect(() => fairUseSettingsFromEnv({ BEHALF_SQL_COST_BUDGET: '1e9' })).toThrow(/BEHALF_SQL_COST_BUDGET/);
    expect(() => fairUseSettingsFromEnv({ BEHALF_SQL_PER_PERSON: '0' })).toThrow(/BEHALF_SQL_PER_PERSON/);
    expect(() => fairUseSettingsFromEnv({ BEHALF_SQL_TIMEOUT_MS: '120000' })).toThrow(/BEHALF_SQL_TIMEOUT_MS/);
  });

  it('defaults: PGlite one query at a time; PostgreSQL two per person on the pool', () => {
    expect(PGLITE_FAIR_USE).toMatchObject({ concurrency: 1, perPerson: 1 });
    expect(postgresFairUse(10)).toMatchObject({ concurrency: 10, perPerson: 2 });
    expect(postgresFairUse(1)).toMatchObject({ concurrency: 1, perPerson: 1 });
    expect(() => createFairUse({ ...PGLITE_FAIR_USE, costBudget: 0 })).toThrow(/costBudget/);
  });
});
