import { type PortableContext, plainOrder } from '../shared/portable-context.ts';
import type { SqliteContext } from './sqlite-context.ts';

/** The portable stores' view of SQLite: bytewise ordering already, one writer at a time. */
export function sqlitePortable(context: SqliteContext): PortableContext {
  return { kysely: context.kysely, clock: context.clock, byteOrder: plainOrder, skipLocked: false };
}
