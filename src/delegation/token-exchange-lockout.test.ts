import { describe, expect, it } from 'vitest';
import { ManualClock } from '../shared/clock.ts';
import { FailedAuthLockout } from './token-exchange-lockout.ts';

describe('FailedAuthLockout', () => {
  it('locks a key out after `limit` failures within the window, and only that key', () => {
    const clock = new ManualClock();
    const lockout = new FailedAuthLockout(clock, 3, 60_000);
    for (let failure = 0; failure < 3; failure++) {
      expect(lockout.retryAfterSeconds('ci-agent')).toBe(0);
      lockout.fail('ci-agent');
      clock.advance(1000);
    }
    expect(lockout.retryAfterSeconds('ci-agent')).toBe(57);
    expect(lockout.retryAfterSeconds('other')).toBe(0);
    clock.advance(57_000);
    expect(lockout.retryAfterSeconds('ci-agent')).toBe(0);
  });
});
