import type { Clock } from '../shared/clock.ts';

/** One client authentication attempt at the token endpoint, as the throttle sees it. */
export interface AuthAttempt {
  /** The client id claimed in the `Authorization` header (`''` when none). */
  clientId: string;
  /** The network source (`clientAddress`: an IPv4 address or an IPv6 /64). */
  source: string;
}

/** Limits of the {@link FailedAuthLockout}. */
export interface LockoutLimits {
  /** Failed authentications one source may make per window, whatever client ids it names (default 10). */
  perSource: number;
  /**
   * Failed authentications of one client id, from all sources together, past which the id is
   * treated as under a distributed guess (default 100; see {@link FailedAuthLockout}).
   */
  perClient: number;
  /** The sliding window (default one minute). */
  windowMs: number;
  /** Sources remembered at once; past it the least recently failing are forgotten (default 50,000). */
  maxSources: number;
}

const DEFAULTS: LockoutLimits = { perSource: 10, perClient: 100, windowMs: 60_000, maxSources: 50_000 };

/**
 * Slows down guessing of client secrets at the token endpoint without handing strangers a way to
 * lock a genuine client out (issue 7 point 6: the lockout used to be keyed by the claimed client
 * id alone, so anyone who knew an id could block that client for a minute with ten bad guesses).
 *
 * - **Per source.** A source (address, or IPv6 /64) with `perSource` failures in the window is
 *   refused unchecked — even with a right secret, since checking it would tell a guesser when a
 *   guess was right. A genuine client is affected only if it shares its address with the guesser
 *   (the same NAT, or a proxy not listed in `BEHALF_TRUSTED_PROXIES`).
 * - **Per client, for distributed guessing.** Once a client id has `perClient` failures in the
 *   window from all sources together, a source that has failed at all in the window is refused
 *   for that id: each further address gets one guess per window instead of `perSource`. A
 *   source with no failure is still checked, so the genuine client — which presents the right
 *   secret and never fails — keeps exchanging however many strangers guess.
 *
 * Successes cost nothing and are not recorded. Memory is bounded by `maxSources` × `perSource`
 * plus one bucket per claimed id with `perClient` times; unknown ids share one bucket (the caller
 * passes `''`), so spraying made-up ids grows nothing.
 */
export class FailedAuthLockout {
  private readonly bySource = new Map<string, number[]>();
  private readonly bySourceAndClient = new Map<string, number[]>();
  private readonly byClient = new Map<string, number[]>();
  private readonly limits: LockoutLimits;
  private lastPrune = 0;

  constructor(
    private readonly clock: Clock,
    limits: Partial<LockoutLimits> = {},
  ) {
    this.limits = { ...DEFAULTS, ...limits };
  }

  /** Seconds `attempt` must wait before it is even checked, else 0. Records nothing. */
  retryAfterSeconds(attempt: AuthAttempt): number {
    const now = this.clock.now();
    const { perSource, perClient } = this.limits;
    const fromSource = this.recent(this.bySource, attempt.source, now);
    if (fromSource.length >= perSource) return this.wait(fromSource, perSource, now);
    const ofClient = this.recent(this.byClient, attempt.clientId, now);
    if (ofClient.length < perClient) return 0;
    const pair = this.recent(this.bySourceAndClient, pairKey(attempt), now);
    // Refused while the source has any failure for this id in the window: it waits out its own
    // newest failure, not the crowd's.
    return pair.length === 0 ? 0 : this.wait(pair, 1, now);
  }

  /** Records one failed authentication. */
  fail(attempt: AuthAttempt): void {
    const now = this.clock.now();
    this.prune(now);
    this.record(this.bySource, attempt.source, this.limits.perSource, now);
    this.record(this.bySourceAndClient, pairKey(attempt), this.limits.perSource, now);
    this.record(this.byClient, attempt.clientId, this.limits.perClient, now);
    this.evict(this.bySource);
    this.evict(this.bySourceAndClient);
  }

  /** Seconds until the `count`-th newest failure in `times` leaves the window. */
  private wait(times: number[], count: number, now: number): number {
    const blocking = times[times.length - count] ?? now;
    return Math.max(1, Math.ceil((blocking + this.limits.windowMs - now) / 1000));
  }

  private record(map: Map<string, number[]>, key: string, keep: number, now: number): void {
    const times = this.recent(map, key, now);
    times.push(now);
    // Re-inserting moves the key to the end: the map's order is least recently failing first.
    map.delete(key);
    map.set(key, times.slice(-keep));
  }

  private recent(map: Map<string, number[]>, key: string, now: number): number[] {
    return (map.get(key) ?? []).filter((time) => time > now - this.limits.windowMs);
  }

  private evict(map: Map<string, number[]>): void {
    for (const key of map.keys()) {
      if (map.size <= this.limits.maxSources) return;
      map.delete(key);
    }
  }

  private prune(now: number): void {
    if (now - this.lastPrune < this.limits.windowMs) return;
    this.lastPrune = now;
    for (const map of [this.bySource, this.bySourceAndClient, this.byClient]) {
      for (const [key, times] of map) {
        if ((times[times.length - 1] ?? 0) <= now - this.limits.windowMs) map.delete(key);
      }
    }
  }
}

function pairKey(attempt: AuthAttempt): string {
  return `${attempt.source} ${attempt.clientId}`;
}
