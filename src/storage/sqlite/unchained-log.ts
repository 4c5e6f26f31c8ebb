import type Database from 'better-sqlite3';
import type { AuditEntry } from '../../audit/types.ts';
import type { Clock } from '../../shared/clock.ts';
import type { IdGenerator } from '../../shared/ids.ts';
import { auditEntryColumns } from '../rows/audit-rows.ts';

/** The audit benchmark's baseline: an append-only log with no hash chain and no group commit. */
export interface UnchainedLog {
  /** One autocommit insert of the entry; resolves after it committed. */
  append(entry: AuditEntry): Promise<void>;
  count(): number;
}

/**
 * Creates `bench_unchained_log` beside `audit_log` in the same database: the same columns minus
 * `prev_hash` and `hash`, the same three indexes, `seq` aliasing the rowid. Ids and times come
 * from the same generators the audit log uses, so the two sides write the same rows but for the
 * chain.
 */
export function createUnchainedLog(db: Database.Database, clock: Clock, ids: IdGenerator): UnchainedLog {
  db.exec(`CREATE TABLE bench_unchained_log (
      seq integer PRIMARY KEY, id text NOT NULL, at bigint NOT NULL, requester text, agent text,
      mode text NOT NULL, thread_id text, run_id text, action text NOT NULL, resource text NOT NULL,
      decision text NOT NULL, policies text NOT NULL, reason text, args_hash text, result_hash text,
      labels text, call_id text);
    CREATE INDEX bench_unchained_requester ON bench_unchained_log (requester, seq);
    CREATE INDEX bench_unchained_thread ON bench_unchained_log (thread_id, seq);
    CREATE INDEX bench_unchained_run ON bench_unchained_log (run_id, seq);`);
  const insert = db.prepare(
    `INSERT INTO bench_unchained_log (id, at, requester, agent, mode, thread_id, run_id, action, resource, decision,
       policies, reason, args_hash, result_hash, labels, call_id)
     VALUES (@id, @at, @requester, @agent, @mode, @thread_id, @run_id, @action, @resource, @decision,
       @policies, @reason, @args_hash, @result_hash, @labels, @call_id)`,
  );
  const count = db.prepare<[], { count: number }>('SELECT count(*) AS count FROM bench_unchained_log');
  return {
    async append(entry) {
      insert.run({ id: ids.next('aud'), at: clock.now(), ...auditEntryColumns(entry) });
    },
    count: () => (count.get() as { count: number }).count,
  };
}
