import { openSchoolOnPglite, openSchoolOnPostgres, SCHOOL_DIR } from '../../workspace/school/school-database.ts';
import { clearedBySchoolRules, SCHOOL_PEOPLE } from '../../workspace/school/school-people.ts';
import type { InvariantScenario } from './scenario.ts';

const HEAD_CLAIMS = JSON.stringify({ sub: SCHOOL_PEOPLE.hana.uid, role: 'authenticated' });
const TABLES = ['classes', 'students', 'grades', 'pastoral_concerns', 'guardian_contacts'];

/**
 * examples/school (Linden Grove School): a Supabase-style source reached with the `postgrest`
 * convention. The oracle writes each person's JWT claims by hand (`school-people.ts`).
 */
export const SCHOOL: InvariantScenario = {
  name: 'school',
  dir: SCHOOL_DIR,
  groups: Object.fromEntries(Object.entries(SCHOOL_PEOPLE).map(([id, person]) => [id, person.groups])),
  cleared: clearedBySchoolRules,
  openOnPglite: openSchoolOnPglite,
  openOnPostgres: openSchoolOnPostgres,
  listedTable: 'pastoral_concerns',
  threads: {
    room: { owner: 'hana', members: ['omar', 'lucia', 'tomas', 'ruth'] },
    pair: { owner: 'omar', members: ['lucia'] },
    other: { owner: 'hana', members: ['pia'] },
  },
  binding: { first: 'omar', second: 'lucia', impersonated: 'hana', query: 'SELECT id, class_id, grade FROM grades' },
  everyday: { person: 'ruth', thread: 'room', query: 'SELECT id FROM classes', documentId: 'term-dates' },
  forged: { person: 'lucia', thread: 'room', query: 'SELECT phone FROM guardian_contacts', impersonated: 'hana' },
  revoked: {
    person: 'lucia',
    documentId: 'class-8s-practicals',
    query: 'SELECT id, class_id FROM grades',
    // She leaves class 8S in the directory, and her uid no longer names her in the database.
    change: (user) => ({
      ...user,
      groups: user.groups.filter((group) => group !== 'class-8s'),
      attributes: { ...user.attributes, uid: '4c1d0000-0000-4000-8000-0000000000ff' },
    }),
  },
  sensitive: {
    person: 'tomas',
    thread: 'room',
    query: 'SELECT id, concern FROM pastoral_concerns',
    label: 'safeguarding',
    uncleared: 'omar',
    values: 'SELECT concern FROM pastoral_concerns',
  },
  shareable: {
    person: 'ruth',
    thread: 'room',
    query: 'SELECT student_id, phone FROM guardian_contacts',
    viewer: 'lucia',
  },
  unshareable: { person: 'omar', thread: 'room', query: 'SELECT id, class_id, grade FROM grades' },
  failing: {
    person: 'lucia',
    thread: 'room',
    query: 'SELECT concern::int FROM pastoral_concerns',
    label: 'safeguarding',
  },
  approval: { requester: 'omar', thief: 'lucia' },
  membership: { outsider: 'pia', query: 'SELECT id FROM grades' },
  partition: {
    first: { person: 'hana', thread: 'other', query: 'SELECT id FROM classes' },
    second: { person: 'pia', thread: 'other', query: 'SELECT student_id, phone FROM guardian_contacts' },
  },
  adversaries: [
    ['omar', 'room'],
    ['ruth', 'room'],
    ['pia', 'other'],
  ],
  valueQueries: [
    'SELECT concern FROM pastoral_concerns',
    'SELECT phone FROM guardian_contacts',
    'SELECT name FROM students',
    `SELECT sen_support FROM students WHERE sen_support <> 'none'`,
  ],
  // Every table, claims rewritten with set_config, role switches, the membership tables and the
  // auth schema, a helper function widened with OR true.
  probes: () => [
    ...TABLES.map((table) => `SELECT * FROM ${table}`),
    `SELECT * FROM pastoral_concerns WHERE set_config('request.jwt.claims', '${HEAD_CLAIMS}', true) IS NOT NULL`,
    `SELECT set_config('request.jwt.claims', '${HEAD_CLAIMS}', true); SELECT * FROM guardian_contacts`,
    'SET ROLE postgres',
    'SELECT * FROM public.staff',
    'SELECT * FROM public.class_teachers',
    'SELECT * FROM auth.users',
    `SELECT * FROM grades WHERE private.is_class_teacher('9h') OR true`,
  ],
};
