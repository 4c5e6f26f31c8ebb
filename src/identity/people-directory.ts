import type { User, UserId, UserStore } from './types.ts';

/**
 * The people of the deployment as the edges may read them (pickers, dev login, member lists):
 * a read-only view of the user store, so no edge holds the store itself.
 */
export class PeopleDirectory {
  constructor(private readonly users: Pick<UserStore, 'get' | 'list'>) {}

  list(): Promise<User[]> {
    return this.users.list();
  }

  get(id: UserId): Promise<User | undefined> {
    return this.users.get(id);
  }
}
