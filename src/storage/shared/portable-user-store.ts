import type { User, UserId, UserInput, UserStore } from '../../identity/types.ts';
import { userColumns, userFromRow } from '../rows/identity-rows.ts';
import type { PortableContext } from './portable-context.ts';

/** `UserStore` for both adapters (SQLite prepares its per-request reads, see its subclass). */
export class PortableUserStore implements UserStore {
  constructor(protected readonly context: PortableContext) {}

  async get(id: UserId): Promise<User | undefined> {
    const row = await this.context.kysely.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && userFromRow(row);
  }

  async getMany(ids: readonly UserId[]): Promise<User[]> {
    if (ids.length === 0) return [];
    const rows = await this.context.kysely.selectFrom('users').selectAll().where('id', 'in', ids).execute();
    return rows.map(userFromRow);
  }

  async list(): Promise<User[]> {
    const rows = await this.context.kysely
      .selectFrom('users')
      .selectAll()
      .orderBy(this.context.byteOrder('id'))
      .execute();
    return rows.map(userFromRow);
  }

  async upsert(user: UserInput): Promise<User> {
    // One statement: the conflicting row is locked, so two concurrent upserts cannot both read
    // the old version. The update applies only when a column differs, keeping the version.
    const row = await this.context.kysely
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
    const unchanged = await this.get(user.id);
    if (!unchanged) throw new Error(`user ${user.id} vanished during upsert`);
    return unchanged;
  }
}
