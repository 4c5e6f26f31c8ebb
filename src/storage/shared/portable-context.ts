import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Clock } from '../../shared/clock.ts';
import type { StorageDatabase } from '../schema.ts';

/**
 * What the portable stores (one Kysely implementation for SQLite and PostgreSQL) need from an
 * adapter: its Kysely, its clock, and the two places where the dialects differ.
 */
export interface PortableContext {
  kysely: Kysely<StorageDatabase>;
  clock: Clock;
  /**
   * A text column for ORDER BY, compared byte by byte, so lists come back in the same order on
   * both engines: SQLite compares bytes already; PostgreSQL needs `COLLATE "C"` whatever
   * collation the deployment's database was created with.
   */
  byteOrder(column: string): RawBuilder<string>;
  /**
   * PostgreSQL: lock the chosen row and skip rows other workers hold (`FOR UPDATE SKIP LOCKED`),
   * so concurrent claimers take different rows instead of queuing on one. SQLite serializes
   * writers, so a plain subquery is already atomic there.
   */
  skipLocked: boolean;
}

/** `byteOrder` on SQLite: the column itself. */
export function plainOrder(column: string): RawBuilder<string> {
  return sql<string>`${sql.ref(column)}`;
}
