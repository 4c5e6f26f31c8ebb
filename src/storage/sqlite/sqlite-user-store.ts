import type { Statement } from 'better-sqlite3';
import type { User, UserId, UserInput, UserStore } from '../../identity/types.ts';
import { userColumns, userFromRow } from '../rows/identity-rows.ts';
import type { UserRow } from '../schema.ts';
import type { SqliteContext } from './sqlite-context.ts';

/** `UserStore` on SQLite. `get` runs on every request and tool call, so it is a prepared statement. */
export class SqliteUserStore implements UserStore {
  readonly #context: SqliteContext;
  readonly #get: Statement<[string], UserRow>;
  readonly #getMany: Statement<[string], UserRow>;

  constructor(context: SqliteContext) {
    this.#context = context;
    this.#get = context.db.prepare('SELECT * FROM users WHERE id = ?');
    this.#getMany = context.db.prepare('SELECT * FROM users WHERE id IN (SELECT value FROM json_each(?))');
  }

  async get(id: UserId): Promise<User | undefined> {
    const row = this.#get.get(id);
    return row && userFromRow(row);
  }

  async getMany(ids: readonly UserId[]): Promise<User[]> {
    return this.#getMany.all(JSON.stringify(ids)).map(userFromRow);
  }

  async list(): Promise<User[]> {
    const rows = await this.#context.kysely.selectFrom('users').selectAll().orderBy('id').execute();
    return rows.map(userFromRow);
  }

  async upsert(user: UserInput): Promise<User> {
    // One statement, so two concurrent upserts cannot both read the old version. The conflict
    // update applies only when a column differs: an identical upsert keeps the version.
    const row = await this.#context.kysely
      .insertInto('users')
      .values({ ...userColumns(user), version: 1 })
      .onConflict((conflict) =>
        conflict
          .column('id')
          .doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            title: eb.ref('excluded.title'),
            groups: eb.ref('excluded.groups'),
            manager_id: eb.ref('excluded.manager_id'),
            version: eb('users.version', '+', 1),
          }))
          .where((eb) =>
            eb.or([
              eb('users.name', 'is distinct from', eb.ref('excluded.name')),
              eb('users.title', 'is distinct from', eb.ref('excluded.title')),
              eb('users.groups', 'is distinct from', eb.ref('excluded.groups')),
              eb('users.manager_id', 'is distinct from', eb.ref('excluded.manager_id')),
            ]),
          ),
      )
      .returningAll()
      .executeTakeFirst();
    if (row) return userFromRow(row);
    const unchanged = this.#get.get(user.id);
    if (!unchanged) throw new Error(`user ${user.id} vanished during upsert`);
    return userFromRow(unchanged);
  }
}
