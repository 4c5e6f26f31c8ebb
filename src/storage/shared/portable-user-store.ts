import type { ExpressionBuilder } from 'kysely';
import type { GroupRecord, User, UserChange, UserId, UserInput, UserStore } from '../../identity/types.ts';
import {
  changedUser,
  displayNameKey,
  groupFromRow,
  type UserColumns,
  userColumns,
  userColumnsGiven,
  userFromRow,
  userNameKey,
  userRowColumns,
} from '../rows/identity-rows.ts';
import type { StorageDatabase } from '../schema.ts';
import type { PortableContext } from './portable-context.ts';

/** How many times `update` retries a read-modify-write that lost a race before giving up. */
const MAX_UPDATE_ATTEMPTS = 50;

type UsersConflict = ExpressionBuilder<StorageDatabase, 'users'>;

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
    // the old version. The update applies only when a column the input names differs, keeping
    // the version; columns it leaves out keep their values. A deleted user stays inactive.
    const given = userColumnsGiven(user);
    const row = await this.context.kysely
      .insertInto('users')
      .values({ ...userColumns(user), version: 1 })
      .onConflict((conflict) =>
        conflict
          .column('id')
          .doUpdateSet((eb) => {
            const set: Record<string, unknown> = {};
            for (const column of given) set[column] = eb.ref(`excluded.${column}`);
            if (given.includes('active')) {
              set.active = eb.case().when('users.deleted_at', 'is', null).then(eb.ref('excluded.active')).else(0).end();
            }
            set.version = eb('users.version', '+', 1);
            return set as never;
          })
          .where((eb) => eb.or(given.map((column) => differs(eb as unknown as UsersConflict, column)))),
      )
      .returningAll()
      .executeTakeFirst();
    if (row) return userFromRow(row);
    const unchanged = await this.get(user.id);
    if (!unchanged) throw new Error(`user ${user.id} vanished during upsert`);
    return unchanged;
  }

  async create(user: UserInput): Promise<User | undefined> {
    const row = await this.context.kysely
      .insertInto('users')
      .values({ ...userColumns(user), version: 1 })
      .onConflict((conflict) => conflict.doNothing())
      .returningAll()
      .executeTakeFirst();
    return row && userFromRow(row);
  }

  async findByUserName(userName: string): Promise<User | undefined> {
    const row = await this.context.kysely
      .selectFrom('users')
      .selectAll()
      .where('user_name_key', '=', userNameKey(userName))
      .executeTakeFirst();
    return row && userFromRow(row);
  }

  async update(id: UserId, change: (current: User) => UserChange | undefined): Promise<User | undefined> {
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt += 1) {
      const current = await this.get(id);
      if (!current) return undefined;
      const requested = change(current);
      if (!requested) return current;
      const next = changedUser(current, requested);
      const before = userRowColumns(current);
      const after = userRowColumns(next);
      const changed = (Object.keys(after) as Array<keyof UserColumns>).filter((key) => after[key] !== before[key]);
      if (changed.length === 0) return current;
      // Compare-and-set on the version: a writer that got in between makes this update miss.
      const row = await this.context.kysely
        .updateTable('users')
        .set({ ...Object.fromEntries(changed.map((key) => [key, after[key]])), version: current.version + 1 })
        .where('id', '=', id)
        .where('version', '=', current.version)
        .returningAll()
        .executeTakeFirst();
      if (row) return userFromRow(row);
    }
    throw new Error(`user ${id}: too many concurrent updates`);
  }

  async listGroups(): Promise<GroupRecord[]> {
    const rows = await this.context.kysely
      .selectFrom('user_groups')
      .selectAll()
      .orderBy(this.context.byteOrder('name'))
      .execute();
    return rows.map(groupFromRow);
  }

  async getGroup(name: string): Promise<GroupRecord | undefined> {
    const row = await this.context.kysely
      .selectFrom('user_groups')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row && groupFromRow(row);
  }

  async createGroup(group: GroupRecord): Promise<boolean> {
    const row = await this.context.kysely
      .insertInto('user_groups')
      .values({
        name: group.name,
        display_name: group.displayName,
        display_key: displayNameKey(group.displayName),
        external_id: group.externalId,
        created_at: group.createdAt,
      })
      .onConflict((conflict) => conflict.doNothing())
      .returning('name')
      .executeTakeFirst();
    return row !== undefined;
  }

  async updateGroup(
    name: string,
    change: Partial<Pick<GroupRecord, 'displayName' | 'externalId'>>,
  ): Promise<GroupRecord | undefined> {
    const set: { display_name?: string; display_key?: string; external_id?: string | null } = {};
    if (change.displayName !== undefined) {
      set.display_name = change.displayName;
      set.display_key = displayNameKey(change.displayName);
    }
    if (change.externalId !== undefined) set.external_id = change.externalId;
    if (Object.keys(set).length === 0) return this.getGroup(name);
    const row = await this.context.kysely
      .updateTable('user_groups')
      .set(set)
      .where('name', '=', name)
      .returningAll()
      .executeTakeFirst();
    return row && groupFromRow(row);
  }

  async deleteGroup(name: string): Promise<boolean> {
    const result = await this.context.kysely.deleteFrom('user_groups').where('name', '=', name).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

/** Whether the stored column differs from the one an upsert brings (a deleted user's `active` never does). */
function differs(eb: UsersConflict, column: keyof UserColumns) {
  const stored = `users.${column}` as const;
  const incoming = eb.ref(`excluded.${column}` as never);
  if (column === 'active') {
    return eb.and([eb('users.deleted_at', 'is', null), eb(stored, 'is distinct from', incoming)]);
  }
  return eb(stored as never, 'is distinct from', incoming);
}
