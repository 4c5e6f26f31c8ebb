import { describe, expect, it } from 'vitest';
import { ManualClock } from '../shared/clock.ts';
import { SlidingWindowLimiter } from './rate-limiter.ts';

describe('SlidingWindowLimiter', () => {
  it('allows `limit` events per window per key, then says when to retry', () => {
    const clock = new ManualClock();
    const limiter = new SlidingWindowLimiter(2, 60_000, clock);
    expect(limiter.take('bob')).toEqual({ ok: true });
    clock.advance(10_000);
    expect(limiter.take('bob')).toEqual({ ok: true });
    expect(limiter.take('bob')).toEqual({ ok: false, retryAfterSeconds: 50 });
    expect(limiter.take('alice')).toEqual({ ok: true });
    clock.advance(50_000);
    expect(limiter.take('bob')).toEqual({ ok: true });
    expect(limiter.take('bob')).toEqual({ ok: false, retryAfterSeconds: 10 });
  });

  it('never asks to retry in less than a second', () => {
    const clock = new ManualClock();
    const limiter = new SlidingWindowLimiter(1, 60_000, clock);
    limiter.take('bob');
    clock.advance(59_999);
    expect(limiter.take('bob')).toEqual({ ok: false, retryAfterSeconds: 1 });
  });
});
