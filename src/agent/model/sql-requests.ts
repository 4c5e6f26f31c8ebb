import { employeeMatch, personNameIn, sqlLiteral } from './person-names.ts';
import { mentions, wordsOf } from './request-text.ts';

/** Request vocabulary of the Acme data source (SPEC §4), one list per table. */
export const SQL_VOCABULARY = {
  salary: [
    'salary',
    'salaries',
    'compensation',
    'comp',
    'pay',
    'paid',
    'payroll',
    'bonus',
    'bonuses',
    'earn',
    'earns',
    'wage',
    'wages',
  ],
  deals: ['deal', 'deals', 'pipeline', 'revenue', 'opportunity', 'opportunities', 'bookings', 'forecast'],
  incidents: ['incident', 'incidents', 'outage', 'outages', 'sev', 'sev1', 'sev2', 'sev3', 'severity', 'downtime'],
  directory: [
    'who is',
    "who's",
    'who’s',
    'directory',
    'team',
    'teams',
    'reports to',
    'report to',
    'manager',
    'manages',
    'org chart',
    'employee',
    'employees',
    'colleague',
    'colleagues',
    'works in',
    'work in',
    'staff',
  ],
} as const;

const REGIONS: Record<string, 'emea' | 'apac' | 'amer'> = {
  emea: 'emea',
  europe: 'emea',
  eu: 'emea',
  uk: 'emea',
  apac: 'apac',
  asia: 'apac',
  'asia-pacific': 'apac',
  australia: 'apac',
  amer: 'amer',
  americas: 'amer',
  america: 'amer',
  usa: 'amer',
  latam: 'amer',
  canada: 'amer',
};

const DEPARTMENTS = [
  'engineering',
  'sales',
  'finance',
  'hr',
  'marketing',
  'legal',
  'support',
  'operations',
  'compliance',
];

const EMPLOYEE_COLUMNS = 'e.id, e.name, e.title, e.department, e.manager_id, e.location';

/** Salaries and bonuses joined to the directory, for one person or department when named. */
export function salaryQuery(request: string): string {
  const name = personNameIn(request);
  const conditions = name ? [employeeMatch('e', name)] : departmentConditions(request);
  return (
    'SELECT e.name, e.title, e.department, c.salary, c.bonus FROM compensation c ' +
    `JOIN employees e ON e.id = c.employee_id${where(conditions)} ORDER BY e.name`
  );
}

/** Deals, filtered by the regions named; totals per region when the request asks for totals. */
export function dealsQuery(request: string): string {
  const regions = [...new Set(wordsOf(request).flatMap((word) => REGIONS[word] ?? []))].sort();
  const conditions = regions.length > 0 ? [`region IN (${regions.map(sqlLiteral).join(', ')})`] : [];
  if (mentions(request, ['total', 'totals', 'sum', 'by region', 'per region', 'how much'])) {
    return `SELECT region, count(*) AS deals, sum(amount) AS total FROM deals${where(conditions)} GROUP BY region ORDER BY region`;
  }
  return `SELECT id, account, region, amount, stage, owner_id FROM deals${where(conditions)} ORDER BY amount DESC`;
}

/** Incidents, newest first. */
export function incidentsQuery(): string {
  return 'SELECT id, title, severity, service, status, opened_at FROM incidents ORDER BY opened_at DESC';
}

/** The directory: someone's reports, someone's manager, one person, a department, or everyone. */
export function directoryQuery(request: string): string {
  const name = personNameIn(request);
  const from = `SELECT ${EMPLOYEE_COLUMNS} FROM employees e`;
  if (name && mentions(request, ['reports to', 'report to', 'reports of', 'team of', 'manages'])) {
    const managerRequest = /\bwho\s+manages\b/i.test(request);
    return managerRequest
      ? `${from} WHERE e.id IN (SELECT m.manager_id FROM employees m WHERE ${employeeMatch('m', name)}) ORDER BY e.name`
      : `${from} WHERE e.manager_id IN (SELECT m.id FROM employees m WHERE ${employeeMatch('m', name)}) ORDER BY e.name`;
  }
  if (name && mentions(request, ['manager', 'boss'])) {
    return `${from} WHERE e.id IN (SELECT m.manager_id FROM employees m WHERE ${employeeMatch('m', name)}) ORDER BY e.name`;
  }
  const conditions = name ? [employeeMatch('e', name)] : departmentConditions(request);
  return `${from}${where(conditions)} ORDER BY e.name`;
}

function departmentConditions(request: string): string[] {
  const named = DEPARTMENTS.filter((department) => mentions(request, [department]));
  return named.length > 0 ? [`(${named.map((d) => `e.department ILIKE ${sqlLiteral(`%${d}%`)}`).join(' OR ')})`] : [];
}

function where(conditions: string[]): string {
  return conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
}
