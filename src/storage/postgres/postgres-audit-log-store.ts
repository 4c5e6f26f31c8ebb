import type { PoolClient, QueryResult } from 'pg';
import {
  type AuditCommitResult,
  type AuditLogStore,
  type AuditRecord,
  type AuditCommitBatch as Batch,
  type ChainFunction as Chain,
  type ChainHead as Head,
  type TimedAuditEntry as TimedEntry,
  TOOL_CALL_ACTION,
} from '../../audit/types.ts';
import { assertExtendsHead, EMPTY_AUDIT_HEAD } from '../audit-chain-head.ts';
import { auditRecordToRow } from '../rows/audit-rows.ts';
import type { AuditRow } from '../schema.ts';
import { PortableAuditReads } from '../shared/portable-audit-reads.ts';
import { ADVISORY_NAMESPACE, AUDIT_APPEND_LOCK } from './advisory-locks.ts';
import type { PostgresContext } from './postgres-context.ts';
import { isConnectionFailure, unavailable } from './unavailable-database.ts';

/**
 * Opens the append's transaction, takes the chain's advisory lock and reads the head, in one
 * round trip. Three statements, not one: under READ COMMITTED each statement takes its snapshot
 * when it starts, so the head must be read by a statement that starts after the lock is granted,
 * to see what the previous holder committed.
 */
const LOCK_AND_READ_HEAD = `BEGIN;
SELECT pg_advisory_xact_lock(${ADVISORY_NAMESPACE}, ${AUDIT_APPEND_LOCK});
SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`;

/** Columns of `audit_log` with their array types, in insert order. */
const COLUMNS: ReadonlyArray<[keyof AuditRow, 'bigint' | 'text']> = [
  ['seq', 'bigint'],
  ['id', 'text'],
  ['at', 'bigint'],
  ['requester', 'text'],
  ['agent', 'text'],
  ['mode', 'text'],
  ['thread_id', 'text'],
  ['run_id', 'text'],
  ['action', 'text'],
  ['resource', 'text'],
  ['decision', 'text'],
  ['policies', 'text'],
  ['reason', 'text'],
  ['args_hash', 'text'],
  ['result_hash', 'text'],
  ['labels', 'text'],
  ['call_id', 'text'],
  ['prev_hash', 'text'],
  ['hash', 'text'],
  ['statement', 'text'],
  ['statement_hash', 'text'],
];

/**
 * A whole batch in one statement of fixed shape: one array parameter per column, so any batch
 * size fits (no 65 535-parameter limit) and the statement is prepared once per connection.
 */
const INSERT = {
  name: 'behalf-audit-append',
  text: `INSERT INTO audit_log (${COLUMNS.map(([column]) => column).join(', ')})
    SELECT * FROM unnest(${COLUMNS.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ')})`,
};

/** Calls whose intent is already complete (they have their terminal record). */
const COMPLETED_CALLS = {
  name: 'behalf-audit-completed-calls',
  text: 'SELECT call_id FROM tool_calls WHERE call_id = ANY($1::text[]) AND completed_at IS NOT NULL',
};

function isTerminal(entry: TimedEntry): boolean {
  return entry.action === TOOL_CALL_ACTION && Boolean(entry.callId);
}

/** Records tool-call intents; a call id already recorded is skipped (not returned). */
const BEGIN_CALLS = {
  name: 'behalf-audit-begin-calls',
  text: `INSERT INTO tool_calls (call_id, run_id, tool, args_hash, started_at, completed_at)
    SELECT call_id, run_id, tool, args_hash, started_at, NULL
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) AS intent(call_id, run_id, tool, args_hash, started_at)
    ON CONFLICT DO NOTHING RETURNING call_id`,
};

/** Marks the intents of terminated tool calls complete; the first completion time stands. */
const COMPLETE_CALLS = {
  name: 'behalf-audit-complete-calls',
  text: `UPDATE tool_calls SET completed_at = COALESCE(tool_calls.completed_at, done.at)
    FROM unnest($1::text[], $2::bigint[]) AS done(call_id, at) WHERE tool_calls.call_id = done.call_id`,
};

/**
 * `AuditLogStore` on PostgreSQL. `appendChained` takes a transaction-scoped advisory lock, reads
 * the head, calls the chain callback and inserts its records in one transaction, so appends from
 * every process sharing the database form one linear chain: a second writer waits for the lock
 * until the first commits or rolls back, then reads the head the first wrote. The `seq` primary
 * key backs this up: a record that somehow raced would be refused, never forked. Three round
 * trips per batch (lock and head; insert; commit), on a connection of its own.
 */
export class PostgresAuditLogStore extends PortableAuditReads implements AuditLogStore {
  readonly #context: PostgresContext;
  /**
   * Appends of this process, one after the other: they would only queue on the advisory lock
   * anyway, and queuing here keeps them from holding every pooled connection while they wait.
   */
  #previous: Promise<unknown> = Promise.resolve();

  constructor(context: PostgresContext) {
    super(context.kysely);
    this.#context = context;
  }

  async commit(batch: Batch, chain: Chain): Promise<AuditCommitResult> {
    if (batch.intents.length === 0 && batch.entries.length === 0) return { begun: [], records: [] };
    // Intents alone need no chain lock: one statement, the primary key refuses repeats.
    if (batch.entries.length === 0) return { begun: await this.#begin(this.#context.pool, batch.intents), records: [] };
    const committed = this.#previous.then(() => this.#commit(batch, chain));
    this.#previous = committed.catch(() => {});
    return committed;
  }

  async appendChained(entries: ReadonlyArray<TimedEntry>, chain: Chain): Promise<AuditRecord[]> {
    return (await this.commit({ intents: [], entries }, chain)).records.filter((record) => record !== null);
  }

  /** Inserts intents; `begun[i]` is false for a call id already recorded. */
  async #begin(client: Pick<PoolClient, 'query'>, intents: Batch['intents']): Promise<boolean[]> {
    if (intents.length === 0) return [];
    const result = await client
      .query<{ call_id: string }>({
        ...BEGIN_CALLS,
        values: [
          intents.map((intent) => intent.callId),
          intents.map((intent) => intent.runId),
          intents.map((intent) => intent.tool),
          intents.map((intent) => intent.argsHash),
          intents.map((intent) => intent.startedAt),
        ],
      })
      .catch((error: unknown) => {
        throw isConnectionFailure(error) ? unavailable(error, this.#context.location) : error;
      });
    const inserted = new Set(result.rows.map((row) => row.call_id));
    // A call id repeated inside one batch is begun once: its first occurrence wins.
    const seen = new Set<string>();
    return intents.map((intent) => {
      const first = !seen.has(intent.callId);
      seen.add(intent.callId);
      return first && inserted.has(intent.callId);
    });
  }

  async #commit(batch: Batch, chain: Chain): Promise<AuditCommitResult> {
    const client = await this.#context.pool.connect().catch((error: unknown) => {
      throw unavailable(error, this.#context.location);
    });
    let unusable = false;
    try {
      const results = (await client.query(LOCK_AND_READ_HEAD)) as unknown as QueryResult<Head>[];
      const row = results[2]?.rows[0];
      const head = row ? { seq: Number(row.seq), hash: row.hash } : { ...EMPTY_AUDIT_HEAD };
      const begun = await this.#begin(client, batch.intents);
      // A call has one terminal record: skip a second one (another process already ended it).
      const callIds = batch.entries.filter(isTerminal).map((entry) => entry.callId as string);
      const completed = new Set(
        callIds.length === 0
          ? []
          : (await client.query<{ call_id: string }>({ ...COMPLETED_CALLS, values: [callIds] })).rows.map(
              (row) => row.call_id,
            ),
      );
      const accepted = batch.entries.map((entry) => {
        if (!isTerminal(entry)) return true;
        const callId = entry.callId as string;
        if (completed.has(callId)) return false;
        completed.add(callId);
        return true;
      });
      const entries = batch.entries.filter((_, index) => accepted[index]);
      if (entries.length === 0) {
        await client.query('COMMIT');
        return { begun, records: batch.entries.map(() => null) };
      }
      const records = chain(head, entries);
      assertExtendsHead(head, records, entries.length);
      const rows = records.map(auditRecordToRow);
      await client.query({ ...INSERT, values: COLUMNS.map(([column]) => rows.map((each) => each[column])) });
      // The terminal record and the intent's completion commit together (see the port).
      const terminal = records.filter((record) => record.action === TOOL_CALL_ACTION && record.callId);
      if (terminal.length > 0) {
        await client.query({
          ...COMPLETE_CALLS,
          values: [terminal.map((record) => record.callId), terminal.map((record) => record.at)],
        });
      }
      await client.query('COMMIT');
      const chained = records[Symbol.iterator]();
      return { begun, records: accepted.map((ok) => (ok ? (chained.next().value as AuditRecord) : null)) };
    } catch (error) {
      unusable = !(await rollback(client));
      throw isConnectionFailure(error) ? unavailable(error, this.#context.location) : error;
    } finally {
      // A connection whose rollback failed may still hold the lock: destroy it, never reuse it.
      client.release(unusable);
    }
  }

  async head(): Promise<Head> {
    const row = await this.#context.kysely
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? { seq: Number(row.seq), hash: row.hash } : { ...EMPTY_AUDIT_HEAD };
  }
}

/** Rolls back the append's transaction; false when the connection could not even do that. */
async function rollback(client: PoolClient): Promise<boolean> {
  try {
    await client.query('ROLLBACK');
    return true;
  } catch {
    return false;
  }
}
