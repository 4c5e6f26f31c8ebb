/**
 * Where created runs wait for a worker. The embedded default runs them in this process with a
 * concurrency limit; a leased queue on PostgreSQL takes over at scale (issue 4).
 */
export interface RunQueue {
  enqueue(runId: string): void;
  /** Resolves when every enqueued run has finished. */
  drain(): Promise<void>;
}

/** In-process queue: at most `concurrency` runs execute at once, the rest wait in order. */
export class LocalRunQueue implements RunQueue {
  private readonly waiting: string[] = [];
  private active = 0;
  private idle: Array<() => void> = [];

  constructor(
    private readonly execute: (runId: string) => Promise<void>,
    private readonly concurrency = 8,
  ) {}

  enqueue(runId: string): void {
    this.waiting.push(runId);
    this.pump();
  }

  drain(): Promise<void> {
    if (this.active === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.active < this.concurrency && this.waiting.length > 0) {
      const runId = this.waiting.shift() as string;
      this.active += 1;
      // execute() handles its own failures (the run ends `failed`); this catch only guards the queue.
      this.execute(runId)
        .catch(() => {})
        .finally(() => {
          this.active -= 1;
          this.pump();
          if (this.active === 0 && this.waiting.length === 0) {
            for (const resolve of this.idle.splice(0)) resolve();
          }
        });
    }
  }
}
