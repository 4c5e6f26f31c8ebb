import type { Statement } from 'better-sqlite3';
import {
  type AuditCommitResult,
  type AuditLogStore,
  type AuditRecord,
  type AuditCommitBatch as Batch,
  type ChainFunction as Chain,
  type ChainHead,
  type TimedAuditEntry as TimedEntry,
  TOOL_CALL_ACTION,
} from '../../audit/types.ts';
import { assertExtendsHead, EMPTY_AUDIT_HEAD } from '../audit-chain-head.ts';
import { auditRecordToRow } from '../rows/audit-rows.ts';
import type { AuditRow } from '../schema.ts';
import { PortableAuditReads } from '../shared/portable-audit-reads.ts';
import type { SqliteContext } from './sqlite-context.ts';

/**
 * `AuditLogStore` on SQLite. `appendChained` reads the head, calls the chain callback and inserts
 * its records in one synchronous IMMEDIATE transaction: nothing else in this process can run in
 * between (no await inside), and another process waits for the write lock, so the chain stays
 * linear with any number of writers.
 */
export class SqliteAuditLogStore extends PortableAuditReads implements AuditLogStore {
  readonly #head: Statement<[], ChainHead>;
  readonly #commit: (batch: Batch, chain: Chain) => AuditCommitResult;

  constructor(context: SqliteContext) {
    super(context.kysely);
    const { db } = context;
    this.#head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    const insert = db.prepare<[AuditRow]>(
      `INSERT INTO audit_log (seq, id, at, requester, agent, mode, thread_id, run_id, action, resource, decision,
         policies, reason, args_hash, result_hash, labels, call_id, prev_hash, hash, statement, statement_hash)
       VALUES (@seq, @id, @at, @requester, @agent, @mode, @thread_id, @run_id, @action, @resource, @decision,
         @policies, @reason, @args_hash, @result_hash, @labels, @call_id, @prev_hash, @hash, @statement, @statement_hash)`,
    );
    const completeCall = db.prepare<[number, string]>(
      'UPDATE tool_calls SET completed_at = COALESCE(completed_at, ?) WHERE call_id = ?',
    );
    const beginCall = db.prepare<[string, string, string, string, number]>(
      `INSERT INTO tool_calls (call_id, run_id, tool, args_hash, started_at, completed_at)
       VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT DO NOTHING`,
    );
    const callCompleted = db.prepare<[string], { completed_at: number | null }>(
      'SELECT completed_at FROM tool_calls WHERE call_id = ?',
    );
    const commit = db.transaction((batch: Batch, chain: Chain) => {
      const begun = batch.intents.map(
        (intent) =>
          beginCall.run(intent.callId, intent.runId, intent.tool, intent.argsHash, intent.startedAt).changes === 1,
      );
      const terminated = new Set<string>();
      const accepted = batch.entries.map((entry) => {
        if (entry.action !== TOOL_CALL_ACTION || !entry.callId) return true;
        if (terminated.has(entry.callId) || callCompleted.get(entry.callId)?.completed_at != null) return false;
        terminated.add(entry.callId);
        return true;
      });
      const entries = batch.entries.filter((_, index) => accepted[index]);
      if (entries.length === 0) return { begun, records: batch.entries.map(() => null) };
      const head = this.#readHead();
      const records = chain(head, entries);
      assertExtendsHead(head, records, entries.length);
      for (const record of records) {
        insert.run(auditRecordToRow(record));
        // The terminal record and the intent's completion commit together (see the port).
        if (record.action === TOOL_CALL_ACTION && record.callId) completeCall.run(record.at, record.callId);
      }
      const chained = records[Symbol.iterator]();
      return { begun, records: accepted.map((ok) => (ok ? (chained.next().value as AuditRecord) : null)) };
    });
    this.#commit = (batch, chain) => commit.immediate(batch, chain);
  }

  async commit(batch: Batch, chain: Chain): Promise<AuditCommitResult> {
    if (batch.intents.length === 0 && batch.entries.length === 0) return { begun: [], records: [] };
    return this.#commit(batch, chain);
  }

  async appendChained(entries: ReadonlyArray<TimedEntry>, chain: Chain): Promise<AuditRecord[]> {
    return (await this.commit({ intents: [], entries }, chain)).records.filter((record) => record !== null);
  }

  async head(): Promise<ChainHead> {
    return this.#readHead();
  }

  #readHead(): ChainHead {
    const row = this.#head.get();
    return row ? { seq: Number(row.seq), hash: row.hash } : { ...EMPTY_AUDIT_HEAD };
  }
}
