import type { Statement } from 'better-sqlite3';
import type { JtiStore } from '../../delegation/types.ts';
import type { SqliteContext } from './sqlite-context.ts';

/**
 * `JtiStore` on SQLite. A claim is an insert the primary key refuses on a replay, so two
 * concurrent verifications of one grant cannot both succeed. Runs on every grant verification,
 * hence a prepared statement.
 */
export class SqliteJtiStore implements JtiStore {
  readonly #context: SqliteContext;
  readonly #claim: Statement<[string, number]>;

  constructor(context: SqliteContext) {
    this.#context = context;
    this.#claim = context.db.prepare('INSERT INTO jtis (jti, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING');
  }

  async claim(jti: string, expiresAt: number): Promise<boolean> {
    return this.#claim.run(jti, expiresAt).changes === 1;
  }

  async purgeExpired(now: number): Promise<number> {
    const result = await this.#context.kysely.deleteFrom('jtis').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
