import type { Clock } from '../shared/clock.ts';
import type { Run, RunStore } from './types.ts';

export interface LeasedRunQueueOptions {
  runs: RunStore;
  clock: Clock;
  /** This worker's id (process-unique): written as `leaseOwner` on the runs it claims. */
  owner: string;
  /** Executes a claimed run (already `running` under this worker's lease). */
  execute(run: Run): Promise<void>;
  /** Called for an active run whose lease expired: its worker stopped. */
  onExpired(run: Run): Promise<void>;
  /** Runs executing here at once (a run awaiting approval holds its slot). Default 16. */
  concurrency?: number;
  /** How long a lease lasts without renewal. Default 30 s; renewed every third of it. */
  leaseMs?: number;
  /** How often to look for queued runs and expired leases. Default 1 s. */
  pollMs?: number;
  onError?(error: unknown): void;
}

/**
 * The durable run queue (issue 4): runs wait in the store as `queued`; a worker claims one
 * atomically with a lease (`queued → running`, skipping rows other workers are claiming), renews
 * the leases of the runs it executes while it lives, and reaps runs whose lease expired — their
 * worker died — within one poll of the expiry. Works the same on SQLite (one process) and on
 * PostgreSQL (many).
 */
export class LeasedRunQueue {
  private active = 0;
  private pumping: Promise<void> | undefined;
  /** Set by every `enqueue`: a pump that already found nothing looks once more. */
  private again = false;
  private idle: Array<() => void> = [];
  private timers: NodeJS.Timeout[] = [];
  private closed = false;
  private readonly concurrency: number;
  private readonly leaseMs: number;

  constructor(private readonly options: LeasedRunQueueOptions) {
    this.concurrency = options.concurrency ?? 16;
    this.leaseMs = options.leaseMs ?? 30_000;
  }

  /** Starts polling, lease renewal and reaping. Without it the queue only runs what is enqueued here. */
  start(): void {
    if (this.timers.length > 0 || this.closed) return;
    const every = (ms: number, task: () => Promise<unknown>) => {
      // A tick slower than its interval (a slow database) is skipped, not run twice at once.
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        task()
          .catch((error) => this.options.onError?.(error))
          .finally(() => {
            busy = false;
          });
      }, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.options.pollMs ?? 1000, async () => {
      await this.reap();
      this.enqueue('');
    });
    every(Math.max(10, Math.floor(this.leaseMs / 3)), () => this.renew());
  }

  /** A run was created: claim queued runs while there is capacity (oldest first). */
  enqueue(_runId: string): void {
    if (this.closed) return;
    this.again = true;
    this.pumping ??= this.pumpWhileWanted().finally(() => {
      this.pumping = undefined;
      // An enqueue that came while this pump was finishing found it still set: pump again for it,
      // or that run would wait for the next poll (forever, without `start`).
      if (this.again) this.enqueue('');
      this.settleIfIdle();
    });
  }

  drain(): Promise<void> {
    if (this.active === 0 && !this.pumping) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Stops claiming; runs already executing finish (`drain`). */
  close(): void {
    this.closed = true;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }

  /** The lease a claim or renewal writes. */
  lease(): { owner: string; expiresAt: number } {
    return { owner: this.options.owner, expiresAt: this.options.clock.now() + this.leaseMs };
  }

  private async pumpWhileWanted(): Promise<void> {
    while (this.again) {
      this.again = false;
      await this.pump();
    }
  }

  private async pump(): Promise<void> {
    while (!this.closed && this.active < this.concurrency) {
      const run = await this.options.runs.claimNext(this.lease());
      if (!run) return;
      this.active += 1;
      this.options
        .execute(run)
        .catch((error) => this.options.onError?.(error))
        .finally(() => {
          this.active -= 1;
          this.enqueue('');
          this.settleIfIdle();
        });
    }
  }

  private async renew(): Promise<void> {
    if (this.active > 0) await this.options.runs.renewLeases(this.lease());
  }

  private async reap(): Promise<void> {
    for (const run of await this.options.runs.listExpiredLeases(this.options.clock.now())) {
      await this.options.onExpired(run);
    }
  }

  private settleIfIdle(): void {
    if (this.active === 0 && !this.pumping) for (const resolve of this.idle.splice(0)) resolve();
  }
}
