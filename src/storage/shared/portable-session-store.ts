import type { Session, SessionStore, UserId } from '../../identity/types.ts';
import { sessionFromRow, sessionToRow } from '../rows/identity-rows.ts';
import type { PortableContext } from './portable-context.ts';

/** `SessionStore` in portable Kysely, for both adapters (SQLite prepares `get`, see its subclass). */
export class PortableSessionStore implements SessionStore {
  constructor(protected readonly context: PortableContext) {}

  async create(session: Session): Promise<void> {
    await this.context.kysely.insertInto('sessions').values(sessionToRow(session)).execute();
  }

  async get(tokenHash: string): Promise<Session | undefined> {
    const row = await this.context.kysely
      .selectFrom('sessions')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && sessionFromRow(row);
  }

  async delete(tokenHash: string): Promise<void> {
    await this.context.kysely.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  async deleteForUser(userId: UserId): Promise<string[]> {
    const rows = await this.context.kysely
      .deleteFrom('sessions')
      .where('user_id', '=', userId)
      .returning('token_hash')
      .execute();
    return rows.map((row) => row.token_hash);
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.context.kysely.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
