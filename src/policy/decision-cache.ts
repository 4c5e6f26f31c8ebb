import type { Decision } from './types.ts';

/**
 * A bounded least-recently-used map of decisions. Keys embed the policy version and the version
 * of every entity involved, so a change never hits an old entry (I3); the bound only limits memory.
 */
export class DecisionCache {
  readonly #entries = new Map<string, Decision>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = Math.max(0, Math.floor(capacity));
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): Decision | undefined {
    const decision = this.#entries.get(key);
    if (decision !== undefined) {
      // Re-insert so Map iteration order tracks recency.
      this.#entries.delete(key);
      this.#entries.set(key, decision);
    }
    return decision;
  }

  set(key: string, decision: Decision): void {
    if (this.#capacity === 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, decision);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}
