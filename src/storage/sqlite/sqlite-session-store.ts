import type { Statement } from 'better-sqlite3';
import type { Session, SessionStore } from '../../identity/types.ts';
import { sessionFromRow, sessionToRow } from '../rows/identity-rows.ts';
import type { SessionRow } from '../schema.ts';
import type { SqliteContext } from './sqlite-context.ts';

/** `SessionStore` on SQLite. `get` authenticates every request, so it is a prepared statement. */
export class SqliteSessionStore implements SessionStore {
  readonly #context: SqliteContext;
  readonly #get: Statement<[string], SessionRow>;

  constructor(context: SqliteContext) {
    this.#context = context;
    this.#get = context.db.prepare('SELECT * FROM sessions WHERE token_hash = ?');
  }

  async create(session: Session): Promise<void> {
    await this.#context.kysely.insertInto('sessions').values(sessionToRow(session)).execute();
  }

  async get(tokenHash: string): Promise<Session | undefined> {
    const row = this.#get.get(tokenHash);
    return row && sessionFromRow(row);
  }

  async delete(tokenHash: string): Promise<void> {
    await this.#context.kysely.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.#context.kysely.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
