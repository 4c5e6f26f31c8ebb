import type { Statement } from 'better-sqlite3';
import type { Run } from '../../agent/types.ts';
import { runFromRow } from '../rows/agent-rows.ts';
import type { RunRow } from '../schema.ts';
import { PortableRunStore } from '../shared/portable-run-store.ts';
import type { SqliteContext } from './sqlite-context.ts';
import { sqlitePortable } from './sqlite-portable.ts';

/** `RunStore` on SQLite: `get` runs before every tool call, so it is a prepared statement. */
export class SqliteRunStore extends PortableRunStore {
  readonly #get: Statement<[string], RunRow>;

  constructor(context: SqliteContext) {
    super(sqlitePortable(context));
    this.#get = context.db.prepare('SELECT * FROM runs WHERE id = ?');
  }

  override async get(id: string): Promise<Run | undefined> {
    const row = this.#get.get(id);
    return row && runFromRow(row);
  }
}
