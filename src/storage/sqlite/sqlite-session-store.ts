import type { Statement } from 'better-sqlite3';
import type { Session } from '../../identity/types.ts';
import { sessionFromRow } from '../rows/identity-rows.ts';
import type { SessionRow } from '../schema.ts';
import { PortableSessionStore } from '../shared/portable-session-store.ts';
import type { SqliteContext } from './sqlite-context.ts';
import { sqlitePortable } from './sqlite-portable.ts';

/** `SessionStore` on SQLite: `get` authenticates every request, so it is a prepared statement. */
export class SqliteSessionStore extends PortableSessionStore {
  readonly #get: Statement<[string], SessionRow>;

  constructor(context: SqliteContext) {
    super(sqlitePortable(context));
    this.#get = context.db.prepare('SELECT * FROM sessions WHERE token_hash = ?');
  }

  override async get(tokenHash: string): Promise<Session | undefined> {
    const row = this.#get.get(tokenHash);
    return row && sessionFromRow(row);
  }
}
