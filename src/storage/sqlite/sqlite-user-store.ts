import type { Statement } from 'better-sqlite3';
import type { User, UserId } from '../../identity/types.ts';
import { userFromRow } from '../rows/identity-rows.ts';
import type { UserRow } from '../schema.ts';
import { PortableUserStore } from '../shared/portable-user-store.ts';
import type { SqliteContext } from './sqlite-context.ts';
import { sqlitePortable } from './sqlite-portable.ts';

/** `UserStore` on SQLite: `get` runs on every request and tool call, so it is a prepared statement. */
export class SqliteUserStore extends PortableUserStore {
  readonly #get: Statement<[string], UserRow>;
  readonly #getMany: Statement<[string], UserRow>;

  constructor(context: SqliteContext) {
    super(sqlitePortable(context));
    this.#get = context.db.prepare('SELECT * FROM users WHERE id = ?');
    this.#getMany = context.db.prepare('SELECT * FROM users WHERE id IN (SELECT value FROM json_each(?))');
  }

  override async get(id: UserId): Promise<User | undefined> {
    const row = this.#get.get(id);
    return row && userFromRow(row);
  }

  override async getMany(ids: readonly UserId[]): Promise<User[]> {
    return this.#getMany.all(JSON.stringify(ids)).map(userFromRow);
  }
}
