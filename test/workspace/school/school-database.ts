import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspaceHardeningSql } from '../../../src/sources/workspace/hardening.ts';
import { adminClient, grantRoleTo } from '../../sources/workspace/clinic-fixture.ts';
import { loginUrl } from '../../support/conformance/sources/acme-fixtures.ts';
import { type ActingAs, type ExampleDatabase, openOnPglite, openOnPostgres } from '../../support/example-database.ts';
import { createScratchDatabase } from '../../support/postgres.ts';
import { handWrittenClaims, type SchoolPerson } from './school-people.ts';

/** examples/school: the workspace under test. */
export const SCHOOL_DIR = fileURLToPath(new URL('../../../examples/school/', import.meta.url));
/** Its setup, in order, as behalf.yaml lists it. */
const SETUP_FILES = ['sql/school.sql', 'sql/data.sql'];
/** The login a PostgreSQL source connects as: no superuser, no BYPASSRLS, may SET ROLE authenticated. */
export const SCHOOL_LOGIN = 'behalf_ws_agent';

/** A cell as the answer's Markdown table shows it. */
export type { Cell } from '../../support/example-database.ts';

/**
 * The school's database as the oracle reaches it: `direct` runs a statement as a person the way
 * PostgREST would (a transaction with `request.jwt.claims` written out by hand and `SET LOCAL
 * ROLE authenticated`), never through Behalf. `serverEnv` points a served workspace at the same
 * data: on PostgreSQL the very database, on PGlite nothing (the server builds its own embedded
 * copy from the same setup files, which the oracle's copy also ran).
 */
export type SchoolDatabase = ExampleDatabase;

function actingAs(person: string): ActingAs {
  return { settings: { 'request.jwt.claims': handWrittenClaims(person as SchoolPerson) }, role: 'authenticated' };
}

/** An in-memory PGlite loaded with the school's setup files. */
export function openSchoolOnPglite(): Promise<SchoolDatabase> {
  return openOnPglite({ dir: SCHOOL_DIR, setup: SETUP_FILES, actingAs });
}

/**
 * A scratch database on the PostgreSQL test server, loaded by a superuser (a `postgres://`
 * source runs no setup), hardened as `workspaceHardeningSql` prints, with the server's login
 * `behalf_ws_agent`; dropped by `close`.
 */
export async function openSchoolOnPostgres(): Promise<SchoolDatabase> {
  const database = await createScratchDatabase('behalf_school');
  try {
    const admin = await adminClient(database.url);
    try {
      for (const file of SETUP_FILES) await admin.exec(await readFile(join(SCHOOL_DIR, file), 'utf8'));
      const url = await loginUrl(database.url, SCHOOL_LOGIN);
      await grantRoleTo('authenticated', SCHOOL_LOGIN);
      await admin.exec(workspaceHardeningSql([SCHOOL_LOGIN]));
      return openOnPostgres({
        adminUrl: database.url,
        serverEnv: { SCHOOL_DATABASE_URL: url },
        actingAs,
        drop: database.drop,
      });
    } finally {
      await admin.end();
    }
  } catch (error) {
    await database.drop();
    throw error;
  }
}
