import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Pool } from 'pg';
import type { Clock } from '../../shared/clock.ts';
import type { StorageDatabase } from '../schema.ts';
import type { PortableContext } from '../shared/portable-context.ts';
import type { DatabaseLocation } from './unavailable-database.ts';

/**
 * What every PostgreSQL sub-store shares: the pool, Kysely over that same pool, and the clock
 * that stamps `updatedAt`. Single statements go through Kysely; several statements that must be
 * atomic run in `kysely.transaction()`, which holds one pooled connection for its duration.
 */
export interface PostgresContext {
  pool: Pool;
  /** The server, for `unavailable` errors raised outside Kysely. */
  location: DatabaseLocation;
  kysely: Kysely<StorageDatabase>;
  clock: Clock;
}

/**
 * A text column compared byte by byte (`COLLATE "C"`), so lists come back in the same order as
 * on SQLite whatever collation the deployment's database was created with.
 */
export function inByteOrder(column: string): RawBuilder<string> {
  return sql<string>`${sql.ref(column)} collate "C"`;
}

/** The portable stores' view of PostgreSQL: bytewise ordering by collation, `SKIP LOCKED` claims. */
export function postgresPortable(context: PostgresContext): PortableContext {
  return { kysely: context.kysely, clock: context.clock, byteOrder: inByteOrder, skipLocked: true };
}
