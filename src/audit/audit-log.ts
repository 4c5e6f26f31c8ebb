import { AppError } from '../protocol/errors.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { chainRecords } from './chain.ts';
import type { AuditEntry, AuditLogStore, AuditRecord, TimedAuditEntry, ToolCallIntentInput } from './types.ts';
import { wellFormedEntry } from './well-formed.ts';

type Pending =
  | {
      kind: 'entry';
      entry: TimedAuditEntry;
      resolve: (record: AuditRecord) => void;
      reject: (error: unknown) => void;
    }
  | {
      kind: 'intent';
      intent: ToolCallIntentInput;
      resolve: (begun: boolean) => void;
      reject: (error: unknown) => void;
    };

/**
 * The append side of the audit log (I6), with group commit: appends made in the same turn of
 * the event loop are chained and written in one store transaction, and each caller's promise
 * settles only after that transaction committed. Callers await their record before acting on a
 * result, so batching never lets an unaudited action through; if the write fails every waiter
 * gets `audit_unavailable` and the actions do not happen.
 *
 * Tool-call intents (`beginCall`) ride in the same commits: a call about to execute and the
 * records of calls that just finished cost one durable write between them.
 */
export class AuditLog {
  private queue: Pending[] = [];
  private flushScheduled = false;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: AuditLogStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly maxBatch = 256,
  ) {}

  /** Appends one entry; resolves with the committed, chained record. */
  append(entry: AuditEntry): Promise<AuditRecord> {
    return new Promise((resolve, reject) => {
      const normalized = wellFormedEntry(entry);
      this.queue.push({
        kind: 'entry',
        entry: { ...normalized, id: this.ids.next('aud'), at: this.clock.now() },
        resolve,
        reject,
      });
      this.scheduleFlush(this.queue.length >= this.maxBatch);
    });
  }

  /**
   * Records a tool call's intent before it executes; resolves once committed, with false when
   * the call id was recorded before (that call must not execute again).
   */
  beginCall(intent: ToolCallIntentInput): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ kind: 'intent', intent, resolve, reject });
      this.scheduleFlush(this.queue.length >= this.maxBatch);
    });
  }

  /** Resolves when everything queued so far is committed (or failed). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.flushScheduled) {
      this.scheduleFlush(true);
      await this.flushing;
    }
    await this.flushing;
  }

  private scheduleFlush(now: boolean): void {
    if (this.flushScheduled && !now) return;
    this.flushScheduled = true;
    // A microtask lets every append issued synchronously in this tick join the batch; flushes
    // are chained so batches commit in order.
    queueMicrotask(() => {
      this.flushing = this.flushing.then(() => this.flush());
    });
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      const intents = batch.filter((pending) => pending.kind === 'intent');
      const entries = batch.filter((pending) => pending.kind === 'entry');
      try {
        const { begun, records } = await this.store.commit(
          { intents: intents.map((pending) => pending.intent), entries: entries.map((pending) => pending.entry) },
          chainRecords,
        );
        for (const [index, pending] of intents.entries()) pending.resolve(begun[index] === true);
        entries.forEach((pending, index) => {
          const record = records[index];
          if (record) pending.resolve(record);
          else if (record === null) {
            pending.reject(new AppError('conflict', 'This tool call already has its terminal audit record'));
          } else pending.reject(new AppError('audit_unavailable', 'The audit log did not return a record'));
        });
      } catch (error) {
        const failure = new AppError('audit_unavailable', 'The audit log could not be written', undefined, {
          cause: error,
        });
        for (const pending of batch) pending.reject(failure);
      }
    }
  }
}
