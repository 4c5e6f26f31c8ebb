import { describe, expect, it } from 'vitest';
import { ManualClock } from '../shared/clock.ts';
import { FailedAuthLockout } from './token-exchange-lockout.ts';

const stranger = { clientId: 'ci-agent', source: '203.0.113.7' };
const genuine = { clientId: 'ci-agent', source: '198.51.100.2' };

describe('FailedAuthLockout', () => {
  it('refuses a source after `perSource` failures within the window, for any client id', () => {
    const clock = new ManualClock();
    const lockout = new FailedAuthLockout(clock, { perSource: 3 });
    for (let failure = 0; failure < 3; failure++) {
      expect(lockout.retryAfterSeconds(stranger)).toBe(0);
      lockout.fail(stranger);
      clock.advance(1000);
    }
    expect(lockout.retryAfterSeconds(stranger)).toBe(57);
    expect(lockout.retryAfterSeconds({ ...stranger, clientId: 'mcp-crm' })).toBe(57);
    clock.advance(57_000);
    expect(lockout.retryAfterSeconds(stranger)).toBe(0);
  });

  it("never refuses the genuine client's source for a stranger's failures (issue 7)", () => {
    const lockout = new FailedAuthLockout(new ManualClock(), { perSource: 3, perClient: 1000 });
    for (let failure = 0; failure < 10; failure++) lockout.fail(stranger);
    expect(lockout.retryAfterSeconds(stranger)).toBeGreaterThan(0);
    expect(lockout.retryAfterSeconds(genuine)).toBe(0);
  });

  it('under a distributed guess, a source that failed for the id waits; one that never failed is checked', () => {
    const clock = new ManualClock();
    const lockout = new FailedAuthLockout(clock, { perSource: 10, perClient: 4 });
    for (let source = 0; source < 4; source++) lockout.fail({ clientId: 'ci-agent', source: `192.0.2.${source}` });
    const fresh = { clientId: 'ci-agent', source: '192.0.2.200' };
    expect(lockout.retryAfterSeconds(fresh)).toBe(0);
    lockout.fail(fresh);
    expect(lockout.retryAfterSeconds(fresh)).toBe(60);
    expect(lockout.retryAfterSeconds({ ...fresh, clientId: 'mcp-crm' })).toBe(0);
    expect(lockout.retryAfterSeconds(genuine)).toBe(0);
    clock.advance(60_000);
    expect(lockout.retryAfterSeconds(fresh)).toBe(0);
  });

  it('forgets the least recently failing sources past `maxSources`', () => {
    const lockout = new FailedAuthLockout(new ManualClock(), { perSource: 1, maxSources: 2 });
    for (const source of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) lockout.fail({ clientId: '', source });
    expect(lockout.retryAfterSeconds({ clientId: '', source: '192.0.2.1' })).toBe(0);
    expect(lockout.retryAfterSeconds({ clientId: '', source: '192.0.2.3' })).toBeGreaterThan(0);
  });
});
