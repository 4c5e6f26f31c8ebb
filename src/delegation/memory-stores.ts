import { AppError } from '../protocol/errors.ts';
import type { Clock } from '../shared/clock.ts';
import type { JtiStore, SigningKeyStore, StoredSigningKey } from './types.ts';

/** `SigningKeyStore` in memory, for tests and single-process use (keys vanish with the process). */
export class MemorySigningKeyStore implements SigningKeyStore {
  readonly #keys = new Map<string, StoredSigningKey>();

  async list(): Promise<StoredSigningKey[]> {
    return [...this.#keys.values()].map((key) => structuredClone(key));
  }

  async insert(key: StoredSigningKey): Promise<void> {
    if (this.#keys.has(key.kid)) throw new AppError('conflict', 'signing key already stored', { kid: key.kid });
    this.#keys.set(key.kid, structuredClone(key));
  }

  async retire(kid: string, at: number): Promise<void> {
    const key = this.#keys.get(kid);
    if (!key) throw new AppError('not_found', 'no such signing key', { kid });
    // Retirement is one-way: a later retire never extends a key's life.
    if (key.retiredAt === null) key.retiredAt = at;
  }
}

/** `JtiStore` in memory, for tests and a single process; ids are forgotten as the clock passes their expiry. */
export class MemoryJtiStore implements JtiStore {
  // Insertion order is close to expiry order (lifetimes are capped), so pruning from the front is
  // cheap. A longer-lived id at the front delays pruning of those behind it by at most the cap,
  // which bounds memory.
  readonly #expiries = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  async claim(jti: string, expiresAt: number): Promise<boolean> {
    const now = this.clock.now();
    for (const [seen, seenExpiresAt] of this.#expiries) {
      if (seenExpiresAt > now) break;
      this.#expiries.delete(seen);
    }
    if (this.#expiries.has(jti)) return false;
    this.#expiries.set(jti, expiresAt);
    return true;
  }

  async purgeExpired(now: number): Promise<number> {
    let removed = 0;
    for (const [jti, expiresAt] of this.#expiries) {
      if (expiresAt <= now) {
        this.#expiries.delete(jti);
        removed++;
      }
    }
    return removed;
  }
}
