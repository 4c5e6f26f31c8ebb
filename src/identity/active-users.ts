import type { User, UserId, UserStore } from './types.ts';

/** Whether a person may act at all: not deprovisioned, not deleted. */
export function isActiveUser(user: User): boolean {
  return user.active && user.deletedAt === null;
}

/**
 * The user store as everything that acts for people sees it: a deprovisioned or deleted person
 * is not there (`get` is undefined, lists leave them out), exactly like someone who never
 * existed — sessions stop authenticating, threads cannot add them, the gateway finds no acting
 * principal, token exchange names no current user. Writes go through unchanged. Provisioning
 * (SCIM) and the OIDC login, which must tell "deprovisioned" from "new", use the store itself.
 */
export function activeUsers(users: UserStore): UserStore {
  const active = (user: User | undefined) => (user && isActiveUser(user) ? user : undefined);
  return {
    get: async (id: UserId) => active(await users.get(id)),
    getMany: async (ids) => (await users.getMany(ids)).filter(isActiveUser),
    list: async () => (await users.list()).filter(isActiveUser),
    upsert: (user) => users.upsert(user),
    create: (user) => users.create(user),
    findByUserName: async (userName) => active(await users.findByUserName(userName)),
    update: (id, change) => users.update(id, change),
    listGroups: () => users.listGroups(),
    getGroup: (name) => users.getGroup(name),
    createGroup: (group) => users.createGroup(group),
    updateGroup: (name, change) => users.updateGroup(name, change),
    deleteGroup: (name) => users.deleteGroup(name),
  };
}
