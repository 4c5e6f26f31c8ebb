import type { PostgresStore, SqliteStore } from '../../../src/storage/index.ts';

/**
 * SQL run behind the store's back, as someone with access to the database could: for tests that
 * tamper with stored rows or read what is really stored. Written once for both engines, with `?`
 * placeholders (numbered for PostgreSQL here; the statements hold no other `?`).
 */
export interface RawSql {
  /** Runs one statement, or several separated by `;` when there are no parameters. */
  run(statement: string, parameters?: readonly unknown[]): Promise<void>;
  /** The rows of a query, columns as the engine returns them (PostgreSQL's bigints as numbers). */
  all<Row>(statement: string, parameters?: readonly unknown[]): Promise<Row[]>;
}

/** Raw SQL on the database behind `store`. */
export function rawSql(store: SqliteStore | PostgresStore): RawSql {
  if (store.kind === 'sqlite') {
    const { db } = store;
    return {
      async run(statement, parameters = []) {
        if (parameters.length === 0) db.exec(statement);
        else db.prepare(statement).run(...parameters);
      },
      async all<Row>(statement: string, parameters: readonly unknown[] = []) {
        return db.prepare(statement).all(...parameters) as Row[];
      },
    };
  }
  const { pool } = store;
  const numbered = (statement: string) => {
    let index = 0;
    return statement.replace(/\?/g, () => `$${++index}`);
  };
  return {
    async run(statement, parameters = []) {
      await pool.query(numbered(statement), parameters.length > 0 ? [...parameters] : undefined);
    },
    async all<Row>(statement: string, parameters: readonly unknown[] = []) {
      return (await pool.query(numbered(statement), [...parameters])).rows as Row[];
    },
  };
}
