import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Clock } from '../../shared/clock.ts';
import type { StorageDatabase } from '../schema.ts';

/**
 * What every SQLite sub-store shares: the one better-sqlite3 connection, Kysely over that same
 * connection, and the clock that stamps `updatedAt`.
 *
 * Two rules keep the two access paths safe together. Kysely runs single statements only (never
 * `kysely.transaction()`): its transaction would stay open across awaits, and a synchronous
 * statement from another caller would silently join it. Anything that needs several statements
 * to be atomic runs in a synchronous `db.transaction(...)`, which nothing can interleave with.
 */
export interface SqliteContext {
  db: Database.Database;
  kysely: Kysely<StorageDatabase>;
  clock: Clock;
}
