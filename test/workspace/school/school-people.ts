/**
 * Linden Grove School's people as the oracle knows them, written out by hand rather than read
 * through Behalf: their uid in the school database (the `sub` claim), their email and groups.
 */
export const SCHOOL_PEOPLE = {
  hana: { uid: '4c1d0000-0000-4000-8000-000000000001', groups: ['staff', 'leadership', 'admins'] },
  omar: { uid: '4c1d0000-0000-4000-8000-000000000002', groups: ['staff', 'teachers', 'class-7m', 'class-8m'] },
  lucia: { uid: '4c1d0000-0000-4000-8000-000000000003', groups: ['staff', 'teachers', 'class-8s'] },
  tomas: { uid: '4c1d0000-0000-4000-8000-000000000004', groups: ['staff', 'pastoral'] },
  ruth: { uid: '4c1d0000-0000-4000-8000-000000000005', groups: ['staff', 'office'] },
  pia: { uid: '4c1d0000-0000-4000-8000-000000000006', groups: ['governors'] },
} as const;

export type SchoolPerson = keyof typeof SCHOOL_PEOPLE;

/** The JWT claims PostgREST would carry for `person` (what behalf.yaml's `claims` template means). */
export function handWrittenClaims(person: SchoolPerson): string {
  return JSON.stringify({
    sub: SCHOOL_PEOPLE[person].uid,
    email: `${person}@lindengrove.example`,
    role: 'authenticated',
  });
}

/**
 * Whether someone in `groups` is cleared for `label`, by the school's rules as its catalogue and
 * policies/school.cedar state them, decided here without Cedar.
 */
export function clearedBySchoolRules(groups: readonly string[], label: string): boolean {
  const inAny = (...wanted: string[]) => wanted.some((group) => groups.includes(group));
  const classId = /^class:([a-z0-9._-]+)$/.exec(label)?.[1];
  if (classId) return inAny(`class-${classId}`, 'leadership');
  switch (label) {
    case 'public':
      return true;
    case 'staff':
      return inAny('staff');
    case 'send':
      return inAny('teachers', 'pastoral', 'leadership');
    case 'safeguarding':
      return inAny('pastoral', 'leadership') && !inAny('governors');
    case 'student-contact':
      return inAny('office', 'leadership');
    case 'governance':
      return inAny('governors', 'leadership');
    default:
      return false;
  }
}
