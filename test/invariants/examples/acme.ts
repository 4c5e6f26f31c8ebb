import { ACME_WORKSPACE_DIR } from '../../support/acme/acme-source.ts';
import { loginUrl, TEST_LOGIN_ROLE } from '../../support/conformance/sources/acme-fixtures.ts';
import { type ActingAs, openOnPglite, openOnPostgres } from '../../support/example-database.ts';
import { createScratchDatabase } from '../../support/postgres.ts';
import type { InvariantScenario } from './scenario.ts';

/** Acme's people and groups, as examples/acme/behalf.yaml lists them, written out by hand. */
const GROUPS: Readonly<Record<string, readonly string[]>> = {
  alice: ['hr', 'managers'],
  bob: ['sales', 'sales-emea'],
  carol: ['engineering'],
  dana: ['finance', 'execs', 'admins'],
  erin: ['sales', 'managers', 'execs'],
  frank: ['engineering', 'managers'],
  gus: ['sales', 'sales-apac'],
  ivy: ['auditors'],
};

/** Acme's label rules (its catalogue and policies/clearance.cedar), decided without Cedar. */
function clearedByAcmeRules(groups: readonly string[], label: string): boolean {
  const inAny = (...wanted: string[]) => wanted.some((group) => groups.includes(group));
  const region = /^sales-pipeline:([a-z]+)$/.exec(label)?.[1];
  if (region) return inAny(`sales-${region}`, 'execs', 'finance') || (inAny('sales') && inAny('managers'));
  switch (label) {
    case 'public':
      return true;
    case 'hr-confidential':
      return inAny('hr', 'finance');
    case 'exec-confidential':
      return inAny('execs');
    case 'engineering-internal':
      return inAny('engineering', 'execs');
    default:
      return false;
  }
}

/** The `settings` convention as behalf.yaml declares it, written out by hand. */
function actingAs(person: string): ActingAs {
  return {
    settings: { 'acme.user_id': person, 'acme.groups': (GROUPS[person] ?? []).join(',') },
    role: 'acme_reader',
  };
}

const SETUP = ['sql/schema.sql', 'sql/seed.sql'];
const TABLES = ['employees', 'compensation', 'deals', 'incidents', 'tickets'];

/**
 * examples/acme (SPEC §4): home-grown row-level security reached with the `settings` convention.
 * On PostgreSQL the served workspace runs the setup itself through its admin URL, as the
 * behalf.yaml comment describes, and the oracle reads the same database.
 */
export const ACME: InvariantScenario = {
  name: 'acme',
  dir: ACME_WORKSPACE_DIR,
  groups: GROUPS,
  cleared: clearedByAcmeRules,
  openOnPglite: () => openOnPglite({ dir: ACME_WORKSPACE_DIR, setup: SETUP, actingAs }),
  async openOnPostgres() {
    const database = await createScratchDatabase('behalf_acme_invariants');
    return openOnPostgres({
      adminUrl: database.url,
      serverEnv: {
        BEHALF_ACME_SOURCE_URL: await loginUrl(database.url, TEST_LOGIN_ROLE),
        BEHALF_ACME_SOURCE_ADMIN_URL: database.url,
      },
      actingAs,
      drop: database.drop,
    });
  },
  listedTable: 'compensation',
  threads: {
    room: { owner: 'alice', members: ['bob', 'carol', 'frank'] },
    pair: { owner: 'bob', members: ['carol'] },
    other: { owner: 'dana', members: ['ivy'] },
  },
  binding: {
    first: 'bob',
    second: 'carol',
    impersonated: 'alice',
    query: 'SELECT employee_id, salary FROM compensation',
  },
  everyday: { person: 'carol', thread: 'room', query: 'SELECT id FROM employees', documentId: 'doc-handbook' },
  forged: { person: 'carol', thread: 'room', query: 'SELECT salary FROM compensation', impersonated: 'alice' },
  revoked: {
    person: 'carol',
    documentId: 'doc-outage-postmortem',
    query: 'SELECT id, title FROM incidents',
    // She leaves engineering: the postmortem's reader group and the incidents' RLS both drop her.
    change: (user) => ({ ...user, groups: user.groups.filter((group) => group !== 'engineering') }),
  },
  sensitive: {
    person: 'alice',
    thread: 'room',
    query: 'SELECT employee_id, salary FROM compensation',
    label: 'hr-confidential',
    uncleared: 'bob',
    values: 'SELECT salary::text FROM compensation',
  },
  shareable: {
    person: 'alice',
    thread: 'room',
    query: 'SELECT employee_id, salary FROM compensation',
    viewer: 'bob',
  },
  unshareable: { person: 'bob', thread: 'room', query: 'SELECT employee_id, salary FROM compensation' },
  failing: { person: 'carol', thread: 'room', query: 'SELECT salary / 0 FROM compensation', label: 'hr-confidential' },
  approval: { requester: 'bob', thief: 'carol' },
  membership: { outsider: 'ivy', query: 'SELECT id FROM employees' },
  partition: {
    first: { person: 'dana', thread: 'other', query: 'SELECT id FROM employees' },
    second: { person: 'ivy', thread: 'other', query: 'SELECT employee_id, salary FROM compensation' },
  },
  adversaries: [
    ['bob', 'room'],
    ['carol', 'room'],
    ['ivy', 'other'],
  ],
  // Salaries and bonuses as the sql tool's JSON carries them (bare figures also occur as deal amounts).
  valueQueries: [
    `SELECT '"salary":' || salary FROM compensation`,
    `SELECT '"bonus":' || bonus FROM compensation`,
    'SELECT account FROM deals',
    'SELECT title FROM incidents',
  ],
  // Every table, the acting identity rewritten with set_config, role switches, the catalogue of
  // roles, and the policies' helper widened with OR true.
  probes: () => [
    ...TABLES.map((table) => `SELECT * FROM ${table}`),
    `SELECT * FROM compensation WHERE set_config('acme.groups', 'hr,finance,execs', true) IS NOT NULL`,
    `SELECT set_config('acme.user_id', 'dana', true); SELECT * FROM compensation`,
    `SELECT * FROM deals WHERE set_config('acme.groups', 'sales,managers', true) IS NOT NULL`,
    'SET ROLE postgres',
    'RESET ROLE; SELECT * FROM compensation',
    'SELECT rolname, rolpassword FROM pg_catalog.pg_authid',
    `SELECT * FROM compensation WHERE acme_private.in_any_group('hr') OR true`,
  ],
};
