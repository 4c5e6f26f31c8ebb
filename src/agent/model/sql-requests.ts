import { employeeMatch, personNameIn, sqlLiteral } from './person-names.ts';
import { mentions, wordsOf } from './request-text.ts';

/**
 * Request vocabulary of the tables of the SPEC §4 example (`compensation`, `deals`, `incidents`,
 * `employees`), one list per table. Routing uses a list only when a `sql` tool's source describes
 * that table, so other workspaces are routed by their own table names (`tableRequest`).
 */
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
    'earning',
    'earnings',
    'wage',
    'wages',
  ],
  deals: ['deal', 'deals', 'pipeline', 'revenue', 'opportunity', 'opportunities', 'bookings', 'forecast'],
  incidents: [
    'incident',
    'incidents',
    'outage',
    'outages',
    'sev',
    'sev1',
    'sev2',
    'sev3',
    'sev-1',
    'sev-2',
    'sev-3',
    'severity',
    'downtime',
  ],
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

/**
 * "How much does carol make", "what does Bob take home": salary questions without a salary noun.
 * Checked only when no other table's vocabulary matched ("how much does the Initech deal make").
 */
export function asksWhatSomeoneMakes(request: string): boolean {
  return /\b(?:how much|what)\s+(?:does|do|did|will)\s+[\p{L}'’ -]{2,40}?\s+(?:make|makes|earn|get paid|take home)\b/iu.test(
    request,
  );
}

const REGIONS: Record<string, 'emea' | 'apac' | 'amer'> = {
  emea: 'emea',
  europe: 'emea',
  european: 'emea',
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

/** Words naming a department, and the department as the directory spells it (HR is "People"). */
const DEPARTMENTS: Readonly<Record<string, string>> = {
  engineering: 'Engineering',
  engineers: 'Engineering',
  sales: 'Sales',
  finance: 'Finance',
  hr: 'People',
  marketing: 'Marketing',
  legal: 'Legal',
  support: 'Support',
  compliance: 'Compliance',
};

/** The deal stages of a `deals.stage` column, and the words that name each. */
const DEAL_STAGES: ReadonlyArray<readonly [stage: string, words: readonly string[]]> = [
  ['prospecting', ['prospecting', 'prospect', 'prospects']],
  ['qualification', ['qualification', 'qualifying', 'qualified']],
  ['proposal', ['proposal', 'proposals']],
  ['negotiation', ['negotiation', 'negotiations', 'negotiating']],
];
const CLOSED_STAGES = ['closed-won', 'closed-lost'];
const OPEN_WORDS = ['open', 'active', 'ongoing', 'in progress', 'live', 'pipeline', 'not closed', 'still open'];
const WON_WORDS = ['won', 'win', 'wins', 'closed-won', 'closed won'];
const LOST_WORDS = ['lost', 'loss', 'losses', 'closed-lost', 'closed lost'];

/** Incident statuses of an `incidents.status` column, and the words that ask for them. */
const INCIDENT_STATUS_WORDS = {
  open: ['open', 'still open'],
  unresolved: ['unresolved', 'not resolved', 'active', 'ongoing', 'current', 'in progress', 'live'],
  monitoring: ['monitoring', 'monitored', 'being monitored', 'under observation'],
  resolved: ['resolved', 'closed', 'fixed', 'done', 'past'],
} as const;

/**
 * What a request wants computed over the rows: how many, their total, their average. The rows
 * are fetched either way; the answer leads with the figure (`headline.ts`) and shows them after.
 */
export type Measure = 'count' | 'sum' | 'average';

/** The measure a request asks for, if any. */
export function measureOf(request: string): Measure | undefined {
  if (mentions(request, ['how many', 'number of', 'count', 'count of'])) return 'count';
  if (mentions(request, ['average', 'avg', 'mean', 'typical', 'median'])) return 'average';
  if (
    mentions(request, [
      'total',
      'totals',
      'sum',
      'worth',
      'how much',
      'value',
      'combined',
      'add up',
      'altogether',
      'in total',
    ])
  )
    return 'sum';
  return undefined;
}

/** Grouping asked for: "by region", "per stage". */
function groupingOf(request: string, columns: readonly string[]): string | undefined {
  return columns.find((column) =>
    mentions(request, [`by ${column}`, `per ${column}`, `each ${column}`, `for each ${column}`]),
  );
}

const EMPLOYEE_COLUMNS = 'e.id, e.name, e.title, e.department, e.manager_id, e.location';

/**
 * Salaries and bonuses joined to the directory: one person when named ("my" when the requester is
 * known), else the departments named, else every row the requester may see.
 */
export function salaryQuery(request: string, requesterId?: string): string {
  const name = personNameIn(request);
  const mine =
    !name &&
    requesterId &&
    /\bmy\s+(?:own\s+)?(?:salary|pay|bonus|compensation|comp|wages?)\b|\b(?:do|did)\s+i\s+(?:make|earn|get)\b|\bam\s+i\s+paid\b/i.test(
      request,
    );
  const conditions = name
    ? [employeeMatch('e', name)]
    : mine
      ? [`e.id = ${sqlLiteral(requesterId)}`]
      : departmentConditions(request);
  if (groupingOf(request, ['department']) || mentions(request, ['by team', 'per team'])) {
    return (
      'SELECT e.department, count(*) AS people, sum(c.salary) AS salary, sum(c.bonus) AS bonus FROM compensation c ' +
      `JOIN employees e ON e.id = c.employee_id${where(conditions)} GROUP BY e.department ORDER BY e.department`
    );
  }
  return (
    'SELECT e.name, e.title, e.department, c.salary, c.bonus FROM compensation c ' +
    `JOIN employees e ON e.id = c.employee_id${where(conditions)} ORDER BY ${mentions(request, ['highest', 'top', 'most']) ? 'c.salary DESC' : 'e.name'}`
  );
}

/**
 * Deals, with the owner's name instead of their id: filtered by the regions and stages named
 * ("open" and "pipeline" leave out closed deals), by owner, and by amount ("over 300k"); grouped
 * when asked "by region" / "by stage"; largest first.
 */
export function dealsQuery(request: string, requesterId?: string): string {
  const conditions = [...regionConditions(request, 'd.region'), ...stageConditions(request)];
  const owner = personNameIn(request);
  // A name is the owner's or the account's: "Bob's deals", "the deals for Initech".
  if (owner) {
    conditions.push(
      `(d.owner_id IN (SELECT o.id FROM employees o WHERE ${employeeMatch('o', owner)}) OR d.account ILIKE ${sqlLiteral(`%${owner}%`)})`,
    );
  } else if (requesterId && /\bmy\s+(?:own\s+)?(?:\w+\s+)?(?:deals|pipeline|opportunities)\b/i.test(request))
    conditions.push(`d.owner_id = ${sqlLiteral(requesterId)}`);
  conditions.push(...amountConditions(request));
  const group = groupingOf(request, ['region', 'stage', 'owner']);
  if (group) {
    const key = group === 'owner' ? 'e.name' : `d.${group}`;
    return (
      `SELECT ${key} AS ${group}, count(*) AS deals, sum(d.amount) AS amount FROM deals d ` +
      `JOIN employees e ON e.id = d.owner_id${where(conditions)} GROUP BY ${key} ORDER BY ${key}`
    );
  }
  const smallest = mentions(request, ['smallest', 'lowest', 'least']);
  const top = /\btop\s+(\d{1,2})\b/i.exec(request)?.[1];
  const limit = top
    ? ` LIMIT ${Number(top)}`
    : mentions(request, ['biggest', 'largest', 'smallest']) && !/\bdeals\b/i.test(request)
      ? ' LIMIT 1'
      : '';
  return (
    'SELECT d.id, d.account, d.region, d.amount, d.stage, e.name AS owner FROM deals d ' +
    `JOIN employees e ON e.id = d.owner_id${where(conditions)} ORDER BY d.amount ${smallest ? 'ASC' : 'DESC'}, d.id${limit}`
  );
}

/** Incidents filtered by severity and status words, newest first. */
export function incidentsQuery(request = ''): string {
  const conditions: string[] = [];
  const severities = [
    ...new Set([...request.toLowerCase().matchAll(/\b(?:sev|severity|p)[\s-]?([123])\b/g)].map((m) => `sev${m[1]}`)),
  ].sort();
  if (severities.length === 0 && mentions(request, ['critical', 'major'])) severities.push('sev1');
  if (severities.length > 0) conditions.push(`severity IN (${severities.map(sqlLiteral).join(', ')})`);
  const status = incidentStatusCondition(request);
  if (status) conditions.push(status);
  const group = groupingOf(request, ['severity', 'status', 'service']);
  if (group) {
    return `SELECT ${group}, count(*) AS incidents FROM incidents${where(conditions)} GROUP BY ${group} ORDER BY ${group}`;
  }
  return `SELECT id, title, severity, service, status, opened_at FROM incidents${where(conditions)} ORDER BY opened_at DESC`;
}

function incidentStatusCondition(request: string): string | undefined {
  const words = INCIDENT_STATUS_WORDS;
  if (mentions(request, words.unresolved)) return "status <> 'resolved'";
  const named = (['open', 'monitoring', 'resolved'] as const).filter((status) => mentions(request, words[status]));
  return named.length > 0 ? `status IN (${named.map(sqlLiteral).join(', ')})` : undefined;
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

function regionConditions(request: string, column: string): string[] {
  const regions = [...new Set(wordsOf(request).flatMap((word) => REGIONS[word] ?? []))].sort();
  return regions.length > 0 ? [`${column} IN (${regions.map(sqlLiteral).join(', ')})`] : [];
}

function stageConditions(request: string): string[] {
  const named = DEAL_STAGES.filter(([, words]) => mentions(request, words)).map(([stage]) => stage);
  const won = mentions(request, WON_WORDS);
  const lost = mentions(request, LOST_WORDS);
  if (won) named.push('closed-won');
  if (lost) named.push('closed-lost');
  if (named.length > 0) return [`d.stage IN (${named.map(sqlLiteral).join(', ')})`];
  if (mentions(request, ['closed'])) return [`d.stage IN (${CLOSED_STAGES.map(sqlLiteral).join(', ')})`];
  if (mentions(request, OPEN_WORDS)) return [`d.stage NOT IN (${CLOSED_STAGES.map(sqlLiteral).join(', ')})`];
  return [];
}

/** "over 300k", "above $1.5m", "under 100,000": amounts as whole numbers, never raw text. */
function amountConditions(request: string): string[] {
  const conditions: string[] = [];
  const pattern =
    /\b(over|above|more than|greater than|bigger than|larger than|at least|under|below|less than|smaller than|at most)\s+\$?\s*(\d[\d,]*(?:\.\d+)?)\s*(k|m|thousand|million)?\b/gi;
  for (const match of request.matchAll(pattern)) {
    const base = Number((match[2] ?? '').replaceAll(',', ''));
    const unit = (match[3] ?? '').toLowerCase();
    const amount = Math.round(
      base * (unit === 'k' || unit === 'thousand' ? 1_000 : unit === 'm' || unit === 'million' ? 1_000_000 : 1),
    );
    if (!Number.isSafeInteger(amount)) continue;
    const word = (match[1] ?? '').toLowerCase();
    const operator =
      word === 'at least'
        ? '>='
        : word === 'at most'
          ? '<='
          : /over|above|more|greater|bigger|larger/.test(word)
            ? '>'
            : '<';
    conditions.push(`d.amount ${operator} ${amount}`);
  }
  return conditions;
}

function departmentConditions(request: string): string[] {
  const named = [
    ...new Set(
      Object.entries(DEPARTMENTS)
        .filter(([word]) => mentions(request, [word]))
        .map(([, department]) => department),
    ),
  ];
  return named.length > 0 ? [`e.department IN (${named.map(sqlLiteral).join(', ')})`] : [];
}

function where(conditions: string[]): string {
  return conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
}
