import { describe, expect, it } from 'vitest';
import { requireService } from './services.ts';

describe('requireService', () => {
  const down = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));

  it('runs the tests when the probe answers, silently', async () => {
    const notices: string[] = [];
    expect(await requireService('PostgreSQL', async () => {}, { env: {}, warn: (n) => notices.push(n) })).toBe(true);
    expect(notices).toEqual([]);
  });

  it('skips with a visible notice naming what was skipped and why', async () => {
    const notices: string[] = [];
    const run = await requireService('PostgreSQL', down, {
      skipping: 'PostgreSQL store tests',
      env: {},
      warn: (notice) => notices.push(notice),
    });
    expect(run).toBe(false);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/SKIPPED PostgreSQL store tests: PostgreSQL is unavailable \(connect ECONNREFUSED/);
    expect(notices[0]).toContain('BEHALF_REQUIRE_SERVICES=1');
  });

  it('fails instead of skipping when BEHALF_REQUIRE_SERVICES=1', async () => {
    const notices: string[] = [];
    await expect(
      requireService('PostgreSQL', down, { env: { BEHALF_REQUIRE_SERVICES: '1' }, warn: (n) => notices.push(n) }),
    ).rejects.toThrow(/PostgreSQL is required \(BEHALF_REQUIRE_SERVICES=1\) but unavailable: connect ECONNREFUSED/);
    expect(notices).toEqual([]);
  });
});
