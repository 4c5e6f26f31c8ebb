import type { Clock } from '../shared/clock.ts';

/** Outcome of taking one unit from a limiter. */
export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * A sliding-window limiter per key (agent invocations per user per minute). Keeps the times of
 * the last `limit` events per key; memory is bounded by keys × limit and idle keys are pruned.
 */
export class SlidingWindowLimiter {
  private readonly events = new Map<string, number[]>();
  private lastPrune = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
  ) {}

  /** Records one event for `key` if it is under the limit. */
  take(key: string): RateDecision {
    const now = this.clock.now();
    this.prune(now);
    const times = (this.events.get(key) ?? []).filter((time) => time > now - this.windowMs);
    if (times.length >= this.limit) {
      const oldest = times[0] ?? now;
      this.events.set(key, times);
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000)) };
    }
    times.push(now);
    this.events.set(key, times);
    return { ok: true };
  }

  private prune(now: number): void {
    if (now - this.lastPrune < this.windowMs) return;
    this.lastPrune = now;
    for (const [key, times] of this.events) {
      if ((times[times.length - 1] ?? 0) <= now - this.windowMs) this.events.delete(key);
    }
  }
}
