import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { workspaceHardeningSql } from '../../../src/sources/workspace/hardening.ts';
import { adminClient, grantRoleTo } from '../../sources/workspace/clinic-fixture.ts';
import { loginUrl } from '../../support/conformance/sources/acme-fixtures.ts';
import { createScratchDatabase } from '../../support/postgres.ts';
import { handWrittenClaims, type SchoolPerson } from './school-people.ts';

/** examples/school: the workspace under test. */
export const SCHOOL_DIR = fileURLToPath(new URL('../../../examples/school/', import.meta.url));
/** Its setup, in order, as behalf.yaml lists it. */
const SETUP_FILES = ['sql/school.sql', 'sql/data.sql'];
/** The login a PostgreSQL source connects as: no superuser, no BYPASSRLS, may SET ROLE authenticated. */
export const SCHOOL_LOGIN = 'behalf_ws_agent';

/** A cell as the answer's Markdown table shows it. */
export type Cell = string;

/**
 * The school's database as the oracle reaches it: `direct` runs a statement as a person the way
 * PostgREST would (a transaction with `request.jwt.claims` written out by hand and `SET LOCAL
 * ROLE authenticated`), never through Behalf. `serverEnv` points a served workspace at the same
 * data: on PostgreSQL the very database, on PGlite nothing (the server builds its own embedded
 * copy from the same setup files, which the oracle's copy also ran).
 */
export interface SchoolDatabase {
  engine: 'PGlite' | 'PostgreSQL';
  serverEnv: Record<string, string>;
  direct(person: SchoolPerson, sql: string): Promise<Cell[][]>;
  /** Runs `sql` as the database's owner, outside any policy: every row. */
  all(sql: string): Promise<Cell[][]>;
  close(): Promise<void>;
}

async function setupScripts(): Promise<string[]> {
  return Promise.all(SETUP_FILES.map((file) => readFile(join(SCHOOL_DIR, file), 'utf8')));
}

function cells(rows: unknown[][]): Cell[][] {
  return rows.map((row) => row.map((value) => (value === null || value === undefined ? '' : String(value))));
}

/** An in-memory PGlite loaded with the school's setup files. */
export async function openSchoolOnPglite(): Promise<SchoolDatabase> {
  const db = new PGlite();
  for (const script of await setupScripts()) await db.exec(script);
  let queue: Promise<unknown> = Promise.resolve();
  return {
    engine: 'PGlite',
    serverEnv: {},
    async direct(person, sql) {
      // PGlite is one session: statements of concurrent callers would interleave, so one at a time.
      const turn = queue.then(async () => {
        await db.exec('BEGIN READ ONLY');
        try {
          await db.query(`SELECT set_config('request.jwt.claims', $1, true)`, [handWrittenClaims(person)]);
          await db.exec('SET LOCAL ROLE authenticated');
          const { rows } = await db.query<unknown[]>(sql, [], { rowMode: 'array' });
          return cells(rows);
        } finally {
          await db.exec('ROLLBACK');
        }
      });
      queue = turn.catch(() => undefined);
      return turn;
    },
    async all(sql) {
      await queue;
      return cells((await db.query<unknown[]>(sql, [], { rowMode: 'array' })).rows);
    },
    close: () => db.close(),
  };
}

/**
 * A scratch database on the PostgreSQL test server, loaded by a superuser (a `postgres://`
 * source runs no setup), hardened as `workspaceHardeningSql` prints, with the server's login
 * `behalf_ws_agent`; dropped by `close`.
 */
export async function openSchoolOnPostgres(): Promise<SchoolDatabase> {
  const database = await createScratchDatabase('behalf_school');
  let admin: Awaited<ReturnType<typeof adminClient>> | undefined;
  try {
    admin = await adminClient(database.url);
    for (const script of await setupScripts()) await admin.exec(script);
    const url = await loginUrl(database.url, SCHOOL_LOGIN);
    await grantRoleTo('authenticated', SCHOOL_LOGIN);
    await admin.exec(workspaceHardeningSql([SCHOOL_LOGIN]));
    const session = admin;
    return {
      engine: 'PostgreSQL',
      serverEnv: { SCHOOL_DATABASE_URL: url },
      async direct(person, sql) {
        await session.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        try {
          await session.query(`SELECT set_config('request.jwt.claims', $1, true)`, [handWrittenClaims(person)]);
          await session.exec('SET LOCAL ROLE authenticated');
          const { rows } = await session.query<unknown[]>(sql, [], { rowMode: 'array' });
          return cells(rows);
        } finally {
          await session.exec('ROLLBACK');
        }
      },
      async all(sql) {
        return cells((await session.query<unknown[]>(sql, [], { rowMode: 'array' })).rows);
      },
      async close() {
        await session.end();
        await database.drop();
      },
    };
  } catch (error) {
    await admin?.end().catch(() => undefined);
    await database.drop();
    throw error;
  }
}
