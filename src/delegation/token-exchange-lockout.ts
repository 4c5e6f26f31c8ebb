import type { Clock } from '../shared/clock.ts';

/**
 * Slows down secret guessing at the token endpoint: after `limit` failed client authentications
 * for one client id within `windowMs`, further attempts for that id are refused unchecked until
 * the oldest failure leaves the window. Successes cost nothing. Keyed by the presented client id,
 * so guessing one client's secret cannot lock out another; the price is that someone hammering
 * a known client id can delay that client for at most one window. Memory is bounded by
 * ids × limit, and idle ids are pruned.
 */
export class FailedAuthLockout {
  private readonly failures = new Map<string, number[]>();
  private lastPrune = 0;

  constructor(
    private readonly clock: Clock,
    private readonly limit = 10,
    private readonly windowMs = 60_000,
  ) {}

  /** Seconds to wait when `key` is locked out, else 0. Records nothing. */
  retryAfterSeconds(key: string): number {
    const now = this.clock.now();
    const recent = this.recent(key, now);
    if (recent.length < this.limit) return 0;
    const oldest = recent[0] ?? now;
    return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
  }

  /** Records one failed authentication for `key`. */
  fail(key: string): void {
    const now = this.clock.now();
    this.prune(now);
    const recent = this.recent(key, now);
    recent.push(now);
    this.failures.set(key, recent.slice(-this.limit));
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((time) => time > now - this.windowMs);
  }

  private prune(now: number): void {
    if (now - this.lastPrune < this.windowMs) return;
    this.lastPrune = now;
    for (const [key, times] of this.failures) {
      if ((times[times.length - 1] ?? 0) <= now - this.windowMs) this.failures.delete(key);
    }
  }
}
