/**
 * Runs async tasks one after another per key, keys in parallel. The hub keys by thread so a
 * thread's events reach every socket in the order they were published, even though deciding
 * each one awaits the store and the policy engine.
 */
export class KeyedSerialQueue {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly onError: (error: unknown) => void) {}

  push(key: string, task: () => Promise<void>): void {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const tail = previous.then(task).catch(this.onError);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
  }

  /** Resolves when every task pushed so far has run. */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
