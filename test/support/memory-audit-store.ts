import { GENESIS_HASH } from '../../src/audit/chain.ts';
import {
  type AuditCommitBatch,
  type AuditCommitResult,
  type AuditLogStore,
  type AuditQuery,
  type AuditRecord,
  type ChainFunction,
  type ChainHead,
  type TimedAuditEntry,
  TOOL_CALL_ACTION,
} from '../../src/audit/types.ts';

/**
 * An in-memory `AuditLogStore` for unit tests of the audit domain and for tools that need a
 * scratch log. Records are deep-copied in and out so callers cannot mutate the log.
 */
export class MemoryAuditLogStore implements AuditLogStore {
  /** Exposed for tamper tests. */
  readonly records: AuditRecord[] = [];
  /** Call ids of recorded intents, and of calls that have their terminal record. */
  readonly intents = new Set<string>();
  readonly terminated = new Set<string>();
  failWrites = false;

  async commit(batch: AuditCommitBatch, chain: ChainFunction): Promise<AuditCommitResult> {
    if (this.failWrites) throw new Error('audit store is read-only');
    const begun = batch.intents.map((intent) => {
      if (this.intents.has(intent.callId)) return false;
      this.intents.add(intent.callId);
      return true;
    });
    const accepted = batch.entries.map((entry) => {
      if (entry.action !== TOOL_CALL_ACTION || !entry.callId) return true;
      if (this.terminated.has(entry.callId)) return false;
      this.terminated.add(entry.callId);
      return true;
    });
    const entries = batch.entries.filter((_, index) => accepted[index]);
    const records = entries.length > 0 ? await this.append(entries, chain) : [];
    const chained = records[Symbol.iterator]();
    return { begun, records: accepted.map((ok) => (ok ? (chained.next().value as AuditRecord) : null)) };
  }

  async appendChained(entries: ReadonlyArray<TimedAuditEntry>, chain: ChainFunction): Promise<AuditRecord[]> {
    return (await this.commit({ intents: [], entries }, chain)).records.filter((record) => record !== null);
  }

  private async append(entries: ReadonlyArray<TimedAuditEntry>, chain: ChainFunction): Promise<AuditRecord[]> {
    if (this.failWrites) throw new Error('audit store is read-only');
    const built = chain(await this.head(), entries);
    this.records.push(...built.map((record) => structuredClone(record)));
    return built.map((record) => structuredClone(record));
  }

  async head(): Promise<ChainHead> {
    const last = this.records[this.records.length - 1];
    return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  async query(filter: AuditQuery): Promise<AuditRecord[]> {
    const text = filter.text?.toLowerCase() ?? '';
    const haystack = (record: AuditRecord) =>
      [record.action, record.resource, record.reason, record.requester, record.agent, record.threadId, record.runId]
        .concat(record.statement)
        .some((value) => typeof value === 'string' && value.toLowerCase().includes(text));
    const matches = this.records.filter(
      (record) =>
        (filter.requester === undefined || record.requester === filter.requester) &&
        (filter.threadId === undefined || record.threadId === filter.threadId) &&
        (filter.runId === undefined || record.runId === filter.runId) &&
        (filter.decision === undefined || record.decision === filter.decision) &&
        (filter.action === undefined || record.action === filter.action) &&
        (filter.fromAt === undefined || record.at >= filter.fromAt) &&
        (filter.toAt === undefined || record.at < filter.toAt) &&
        (text === '' || haystack(record)) &&
        record.seq > (filter.afterSeq ?? 0) &&
        (filter.beforeSeq === undefined || record.seq < filter.beforeSeq),
    );
    if (filter.newestFirst) matches.reverse();
    return structuredClone(matches.slice(0, filter.limit ?? matches.length));
  }

  /** This store knows no threads (thread titles live in the full stores). */
  async threadsNamed(): Promise<Array<{ id: string; title: string }>> {
    return [];
  }

  async scan(afterSeq: number, limit: number): Promise<AuditRecord[]> {
    return structuredClone(this.records.filter((record) => record.seq > afterSeq).slice(0, limit));
  }

  async count(): Promise<number> {
    return this.records.length;
  }
}
