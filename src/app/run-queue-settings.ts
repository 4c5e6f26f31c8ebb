import { AppError } from '../protocol/errors.ts';

/** Timing and capacity of the durable run queue, as a deployment configures them. */
export interface RunQueueSettings {
  /** How long a run's lease lasts without renewal (`BEHALF_RUN_LEASE_MS`). */
  leaseMs?: number;
  /** How often a process looks for queued runs and expired leases (`BEHALF_RUN_POLL_MS`). */
  pollMs?: number;
  /** Runs one process executes at once (`BEHALF_RUN_CONCURRENCY`). */
  concurrency?: number;
}

/**
 * Reads `BEHALF_RUN_LEASE_MS`, `BEHALF_RUN_POLL_MS` and `BEHALF_RUN_CONCURRENCY`; unset or empty
 * means the runtime's default (30 s lease, 1 s poll, 16 runs). The lease bounds how long a run
 * whose process died stays active before another process ends it, so a short lease means faster
 * takeover but more renewal writes; a lease is renewed every third of its length.
 *
 * @throws AppError `bad_request` naming the variable for a value that is not an integer in range,
 *   or a poll interval longer than the lease (expired runs would be noticed late): a
 *   misconfigured deployment refuses to start.
 */
export function runQueueSettingsFromEnv(env: Record<string, string | undefined>): RunQueueSettings {
  const leaseMs = integer(env, 'BEHALF_RUN_LEASE_MS', 1000, 3_600_000);
  const pollMs = integer(env, 'BEHALF_RUN_POLL_MS', 50, 60_000);
  const concurrency = integer(env, 'BEHALF_RUN_CONCURRENCY', 1, 1000);
  if (pollMs !== undefined && pollMs > (leaseMs ?? 30_000)) {
    throw new AppError(
      'bad_request',
      `BEHALF_RUN_POLL_MS (${pollMs}) must not exceed the run lease (${leaseMs ?? 30_000} ms, BEHALF_RUN_LEASE_MS)`,
    );
  }
  return {
    ...(leaseMs !== undefined ? { leaseMs } : {}),
    ...(pollMs !== undefined ? { pollMs } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
  };
}

function integer(env: Record<string, string | undefined>, name: string, min: number, max: number): number | undefined {
  const text = env[name]?.trim();
  if (!text) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new AppError(
      'bad_request',
      `${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(text.slice(0, 40))}`,
    );
  }
  return value;
}
