import type { Statement } from 'better-sqlite3';
import type { User, UserId } from '../../identity/types.ts';
import { userFromRow, userNameKey } from '../rows/identity-rows.ts';
import type { UserRow } from '../schema.ts';
import { PortableUserStore } from '../shared/portable-user-store.ts';
import type { SqliteContext } from './sqlite-context.ts';
import { sqlitePortable } from './sqlite-portable.ts';

/** `UserStore` on SQLite: `get` runs on every request and tool call, so it is a prepared statement. */
export class SqliteUserStore extends PortableUserStore {
  readonly #get: Statement<[string], UserRow>;
  readonly #getMany: Statement<[string], UserRow>;
  readonly #byUserName: Statement<[string], UserRow>;

  constructor(context: SqliteContext) {
    super(sqlitePortable(context));
    this.#get = context.db.prepare('SELECT * FROM users WHERE id = ?');
    this.#getMany = context.db.prepare('SELECT * FROM users WHERE id IN (SELECT value FROM json_each(?))');
    this.#byUserName = context.db.prepare('SELECT * FROM users WHERE user_name_key = ?');
  }

  override async get(id: UserId): Promise<User | undefined> {
    const row = this.#get.get(id);
    return row && userFromRow(row);
  }

  override async getMany(ids: readonly UserId[]): Promise<User[]> {
    return this.#getMany.all(JSON.stringify(ids)).map(userFromRow);
  }

  override async findByUserName(userName: string): Promise<User | undefined> {
    const row = this.#byUserName.get(userNameKey(userName) as string);
    return row && userFromRow(row);
  }
}
