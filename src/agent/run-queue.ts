/**
 * Where created runs wait for a worker. `LeasedRunQueue` is the implementation: durable in the
 * store, claimed with leases, the same on SQLite and PostgreSQL.
 */
export interface RunQueue {
  enqueue(runId: string): void;
  /** Resolves when every run this worker claimed has finished. */
  drain(): Promise<void>;
}
