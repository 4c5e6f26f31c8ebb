import type { JtiStore } from '../../delegation/types.ts';
import type { PostgresContext } from './postgres-context.ts';

/**
 * `JtiStore` on PostgreSQL. A claim is an insert the primary key refuses on a replay; a
 * concurrent insert of the same jti waits for the first to commit, then does nothing, so of two
 * verifications of one grant (in any processes) exactly one succeeds.
 */
export class PostgresJtiStore implements JtiStore {
  readonly #context: PostgresContext;

  constructor(context: PostgresContext) {
    this.#context = context;
  }

  async claim(jti: string, expiresAt: number): Promise<boolean> {
    const result = await this.#context.kysely
      .insertInto('jtis')
      .values({ jti, expires_at: expiresAt })
      .onConflict((conflict) => conflict.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async purgeExpired(now: number): Promise<number> {
    const result = await this.#context.kysely.deleteFrom('jtis').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
