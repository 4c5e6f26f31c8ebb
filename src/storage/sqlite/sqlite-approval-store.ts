import type { Statement } from 'better-sqlite3';
import type { UserId } from '../../identity/types.ts';
import { PortableApprovalStore } from '../shared/portable-approval-store.ts';
import type { SqliteContext } from './sqlite-context.ts';
import { sqlitePortable } from './sqlite-portable.ts';

/** `ApprovalStore` on SQLite: `hasStanding` runs on every write call, so it is a prepared statement. */
export class SqliteApprovalStore extends PortableApprovalStore {
  readonly #hasStanding: Statement<[UserId, string], number>;

  constructor(context: SqliteContext) {
    super(sqlitePortable(context));
    this.#hasStanding = context.db.prepare<[UserId, string], number>(
      'SELECT 1 FROM standing_approvals WHERE user_id = ? AND tool = ?',
    );
    this.#hasStanding.pluck();
  }

  override async hasStanding(userId: UserId, tool: string): Promise<boolean> {
    return this.#hasStanding.get(userId, tool) !== undefined;
  }
}
