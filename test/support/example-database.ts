import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { Client } from 'pg';
import { pgliteCompatibleTypes } from '../../src/sources/postgres-types.ts';

/** A cell as a string (null as empty), so rows compare whatever the engine's types. */
export type Cell = string;

/**
 * An example's database as the oracle reaches it, never through Behalf: `direct` runs a statement
 * as a person the way the example's own convention says (its settings or JWT claims written out
 * by hand, then its query role), `all` as the owner, outside any policy. `serverEnv` points a
 * served workspace at the same data.
 */
export interface ExampleDatabase {
  engine: 'PGlite' | 'PostgreSQL';
  serverEnv: Record<string, string>;
  direct(person: string, sql: string): Promise<Cell[][]>;
  all(sql: string): Promise<Cell[][]>;
  close(): Promise<void>;
}

/** Statements that make a transaction act as a person: `set_config` calls (with parameters) and a role. */
export interface ActingAs {
  settings: Record<string, string>;
  role: string;
}

/** The subset of a session both engines offer. */
interface Session {
  query(sql: string, params?: unknown[]): Promise<unknown[][]>;
  exec(sql: string): Promise<void>;
}

function cells(rows: unknown[][]): Cell[][] {
  return rows.map((row) => row.map((value) => (value === null || value === undefined ? '' : String(value))));
}

/**
 * Calls of `work` one at a time: each engine here is reached through one session, where
 * transactions of concurrent callers would interleave.
 */
function serializer(): <T>(work: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return (work) => {
    const turn = queue.then(work);
    queue = turn.catch(() => undefined);
    return turn;
  };
}

/** Runs `sql` in a read-only transaction acting as `acting`, rolled back after. */
async function asPerson(session: Session, acting: ActingAs, sql: string): Promise<Cell[][]> {
  await session.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    for (const [name, value] of Object.entries(acting.settings))
      await session.query('SELECT set_config($1, $2, true)', [name, value]);
    await session.exec(`SET LOCAL ROLE ${acting.role}`);
    return cells(await session.query(sql));
  } finally {
    await session.exec('ROLLBACK');
  }
}

/**
 * An in-memory PGlite loaded with the example's setup files. The served workspace builds its own
 * embedded copy from the same files, so `serverEnv` is empty.
 */
export async function openOnPglite(input: {
  dir: string;
  setup: readonly string[];
  actingAs: (person: string) => ActingAs;
}): Promise<ExampleDatabase> {
  const db = new PGlite();
  for (const file of input.setup) await db.exec(await readFile(join(input.dir, file), 'utf8'));
  const session = (target: PGlite | Transaction): Session => ({
    query: async (sql, params = []) => (await target.query<unknown[]>(sql, params, { rowMode: 'array' })).rows,
    exec: async (sql) => {
      await target.exec(sql);
    },
  });
  const serial = serializer();
  return {
    engine: 'PGlite',
    serverEnv: {},
    direct: (person, sql) => serial(() => asPerson(session(db), input.actingAs(person), sql)),
    all: (sql) => serial(async () => cells(await session(db).query(sql))),
    close: () => db.close(),
  };
}

/**
 * The example's database on the PostgreSQL test server, reached through a superuser session on
 * `adminUrl` (opened at first use, so a served workspace may run the setup itself when it opens).
 */
export function openOnPostgres(input: {
  adminUrl: string;
  serverEnv: Record<string, string>;
  actingAs: (person: string) => ActingAs;
  drop(): Promise<void>;
}): ExampleDatabase {
  let client: Promise<Client> | undefined;
  const connect = () => {
    client ??= (async () => {
      const connection = new Client({ connectionString: input.adminUrl, types: pgliteCompatibleTypes() });
      connection.on('error', () => {});
      await connection.connect();
      return connection;
    })();
    return client;
  };
  const session = async (): Promise<Session> => {
    const connection = await connect();
    return {
      query: async (sql, params = []) => (await connection.query({ text: sql, values: params, rowMode: 'array' })).rows,
      exec: async (sql) => {
        await connection.query(sql);
      },
    };
  };
  const serial = serializer();
  return {
    engine: 'PostgreSQL',
    serverEnv: input.serverEnv,
    direct: (person, sql) => serial(async () => asPerson(await session(), input.actingAs(person), sql)),
    all: (sql) => serial(async () => cells(await (await session()).query(sql))),
    async close() {
      await serial(async () => undefined);
      if (client) await (await client).end();
      await input.drop();
    },
  };
}
