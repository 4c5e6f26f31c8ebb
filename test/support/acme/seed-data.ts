import { ACME_USERS } from './demo.ts';

/**
 * Seed rows written one line each, as tuples, turned into objects: `columns` names the values of
 * every tuple in order.
 */
function fromRows<T>(columns: ReadonlyArray<keyof T>, rows: ReadonlyArray<ReadonlyArray<string | number>>): T[] {
  return rows.map((row) => Object.fromEntries(columns.map((column, index) => [column, row[index]])) as T);
}

/** A row of the Acme directory (`employees`). */
export interface AcmeEmployee {
  id: string;
  name: string;
  title: string;
  department: string;
  managerId: string | null;
  location: string;
}

/** Department and office of the eight demo users; names, titles and managers come from `ACME_USERS`. */
const DEMO_USER_PLACES: Readonly<Record<string, { department: string; location: string }>> = {
  alice: { department: 'People', location: 'New York' },
  bob: { department: 'Sales', location: 'London' },
  carol: { department: 'Engineering', location: 'Berlin' },
  dana: { department: 'Finance', location: 'New York' },
  erin: { department: 'Sales', location: 'London' },
  frank: { department: 'Engineering', location: 'Berlin' },
  gus: { department: 'Sales', location: 'Singapore' },
  ivy: { department: 'Compliance', location: 'Toronto' },
};

const DEMO_EMPLOYEES: AcmeEmployee[] = ACME_USERS.map((user) => {
  const place = DEMO_USER_PLACES[user.id];
  if (!place) throw new Error(`no department for demo user ${user.id}`);
  return { id: user.id, name: user.name, title: user.title, managerId: user.managerId, ...place };
});

// Everyone else. Erin's reports are exactly bob and gus, and bob, gus, carol and ivy manage
// nobody: the demo's visibility stories (SPEC §4) depend on it.
const OTHER_EMPLOYEES: AcmeEmployee[] = fromRows<AcmeEmployee>(
  ['id', 'name', 'title', 'department', 'managerId', 'location'],
  [
    ['kai', 'Kai Nakamura', 'Controller', 'Finance', 'dana', 'New York'],
    ['lucia', 'Lucía Romero', 'Financial analyst', 'Finance', 'kai', 'Toronto'],
    ['mateo', 'Mateo Silva', 'Accountant', 'Finance', 'kai', 'New York'],
    ['maya', 'Maya Singh', 'HR business partner', 'People', 'alice', 'London'],
    ['noah', 'Noah Berg', 'Recruiter', 'People', 'alice', 'Berlin'],
    ['iris', 'Iris Novak', 'Payroll specialist', 'People', 'alice', 'New York'],
    ['ana', 'Ana Costa', 'Office manager', 'People', 'alice', 'London'],
    ['amir', 'Amir Rahman', 'Senior engineer', 'Engineering', 'frank', 'Berlin'],
    ['beatriz', 'Beatriz Souza', 'Site reliability engineer', 'Engineering', 'frank', 'Remote'],
    ['chen', 'Chen Wei', 'Software engineer', 'Engineering', 'frank', 'Singapore'],
    ['devi', 'Devi Pillai', 'Software engineer', 'Engineering', 'frank', 'Berlin'],
    ['felix', 'Felix Braun', 'Data engineer', 'Engineering', 'frank', 'Berlin'],
    ['olga', 'Olga Ivanova', 'Engineering manager, platform', 'Engineering', 'dana', 'Remote'],
    ['pedro', 'Pedro Alves', 'Senior engineer', 'Engineering', 'olga', 'Remote'],
    ['quinn', 'Quinn Murphy', 'Software engineer', 'Engineering', 'olga', 'Toronto'],
    ['rosa', 'Rosa Jiménez', 'Site reliability engineer', 'Engineering', 'olga', 'New York'],
    ['sam', 'Sam Taylor', 'Software engineer', 'Engineering', 'olga', 'London'],
    ['jade', 'Jade Thompson', 'Security engineer', 'Engineering', 'olga', 'Remote'],
    ['ravi', 'Ravi Menon', 'IT administrator', 'Engineering', 'olga', 'Singapore'],
    ['marcus', 'Marcus Reed', 'Director of sales, Americas', 'Sales', 'dana', 'New York'],
    ['nina', 'Nina Alvarez', 'Account executive, AMER', 'Sales', 'marcus', 'New York'],
    ['tom', 'Tom Becker', 'Account executive, AMER', 'Sales', 'marcus', 'Toronto'],
    ['uma', 'Uma Reddy', 'Sales operations analyst', 'Sales', 'marcus', 'New York'],
    ['omar', 'Omar Haddad', 'Solutions engineer', 'Sales', 'marcus', 'New York'],
    ['victor', 'Victor Lang', 'Head of marketing', 'Marketing', 'dana', 'London'],
    ['wendy', 'Wendy Clarke', 'Product marketing manager', 'Marketing', 'victor', 'London'],
    ['xavier', 'Xavier Dubois', 'Content lead', 'Marketing', 'victor', 'Remote'],
    ['yara', 'Yara Mensah', 'Support lead', 'Support', 'dana', 'Toronto'],
    ['zoe', 'Zoe Martin', 'Support engineer', 'Support', 'yara', 'Toronto'],
    ['liam', "Liam O'Brien", 'Support engineer', 'Support', 'yara', 'Singapore'],
    ['grace', 'Grace Obi', 'General counsel', 'Legal', 'dana', 'New York'],
    ['hugo', 'Hugo Laurent', 'Legal counsel', 'Legal', 'grace', 'London'],
  ],
);

/** The directory: 40 people, the eight demo users among them under the same ids, names and titles. */
export const ACME_EMPLOYEES: readonly AcmeEmployee[] = [...DEMO_EMPLOYEES, ...OTHER_EMPLOYEES];

/** Salary and bonus per employee id (everyone has a row). */
export const ACME_COMPENSATION: Readonly<Record<string, { salary: number; bonus: number }>> = {
  alice: { salary: 185_000, bonus: 25_000 },
  bob: { salary: 98_000, bonus: 90_000 },
  carol: { salary: 205_000, bonus: 20_000 },
  dana: { salary: 290_000, bonus: 80_000 },
  erin: { salary: 230_000, bonus: 120_000 },
  frank: { salary: 215_000, bonus: 30_000 },
  gus: { salary: 95_000, bonus: 85_000 },
  ivy: { salary: 130_000, bonus: 10_000 },
  kai: { salary: 175_000, bonus: 20_000 },
  lucia: { salary: 105_000, bonus: 8_000 },
  mateo: { salary: 92_000, bonus: 6_000 },
  maya: { salary: 115_000, bonus: 9_000 },
  noah: { salary: 88_000, bonus: 7_000 },
  iris: { salary: 84_000, bonus: 5_000 },
  ana: { salary: 68_000, bonus: 3_000 },
  amir: { salary: 168_000, bonus: 15_000 },
  beatriz: { salary: 158_000, bonus: 14_000 },
  chen: { salary: 132_000, bonus: 10_000 },
  devi: { salary: 128_000, bonus: 10_000 },
  felix: { salary: 140_000, bonus: 11_000 },
  olga: { salary: 210_000, bonus: 28_000 },
  pedro: { salary: 172_000, bonus: 15_000 },
  quinn: { salary: 121_000, bonus: 9_000 },
  rosa: { salary: 150_000, bonus: 12_000 },
  sam: { salary: 118_000, bonus: 9_000 },
  jade: { salary: 162_000, bonus: 13_000 },
  ravi: { salary: 99_000, bonus: 6_000 },
  marcus: { salary: 190_000, bonus: 95_000 },
  nina: { salary: 102_000, bonus: 88_000 },
  tom: { salary: 97_000, bonus: 80_000 },
  uma: { salary: 86_000, bonus: 12_000 },
  omar: { salary: 135_000, bonus: 40_000 },
  victor: { salary: 180_000, bonus: 25_000 },
  wendy: { salary: 125_000, bonus: 12_000 },
  xavier: { salary: 98_000, bonus: 7_000 },
  yara: { salary: 120_000, bonus: 10_000 },
  zoe: { salary: 78_000, bonus: 5_000 },
  liam: { salary: 76_000, bonus: 5_000 },
  grace: { salary: 240_000, bonus: 35_000 },
  hugo: { salary: 160_000, bonus: 15_000 },
};

/** A sales opportunity. Regions are lower-case: they become labels (`sales-pipeline:emea`). */
export interface AcmeDeal {
  id: string;
  account: string;
  region: 'emea' | 'apac' | 'amer';
  amount: number;
  stage: string;
  ownerId: string;
}

/** 30 deals: bob owns the EMEA ones, gus the APAC ones, nina and tom the Americas. */
export const ACME_DEALS: readonly AcmeDeal[] = fromRows<AcmeDeal>(
  ['id', 'account', 'region', 'amount', 'stage', 'ownerId'],
  [
    ['D-1001', 'Globex', 'emea', 310_000, 'negotiation', 'bob'],
    ['D-1002', 'Initech', 'emea', 480_000, 'proposal', 'bob'],
    ['D-1003', 'Umbrella', 'emea', 120_000, 'qualification', 'bob'],
    ['D-1004', 'Vandelay Industries', 'emea', 75_000, 'closed-won', 'bob'],
    ['D-1005', 'Gringotts', 'emea', 260_000, 'prospecting', 'bob'],
    ['D-1006', 'Oceanic Airlines', 'emea', 150_000, 'closed-lost', 'bob'],
    ['D-1007', 'Brawndo', 'emea', 95_000, 'proposal', 'bob'],
    ['D-1008', 'Nakatomi Trading', 'emea', 205_000, 'negotiation', 'bob'],
    ['D-1009', 'Massive Dynamic', 'emea', 340_000, 'qualification', 'bob'],
    ['D-1010', 'Pied Piper', 'emea', 58_000, 'closed-won', 'bob'],
    ['D-2001', 'Tyrell Corporation', 'apac', 420_000, 'negotiation', 'gus'],
    ['D-2002', 'Cyberdyne Systems', 'apac', 185_000, 'proposal', 'gus'],
    ['D-2003', 'Soylent', 'apac', 90_000, 'prospecting', 'gus'],
    ['D-2004', 'Weyland-Yutani', 'apac', 610_000, 'qualification', 'gus'],
    ['D-2005', 'Monarch Solutions', 'apac', 130_000, 'closed-won', 'gus'],
    ['D-2006', 'Rekall', 'apac', 72_000, 'closed-lost', 'gus'],
    ['D-2007', 'Ellingson Mineral', 'apac', 225_000, 'negotiation', 'gus'],
    ['D-2008', 'Sirius Cybernetics', 'apac', 310_000, 'proposal', 'gus'],
    ['D-2009', 'Spacely Sprockets', 'apac', 64_000, 'qualification', 'gus'],
    ['D-2010', 'Buy n Large', 'apac', 505_000, 'prospecting', 'gus'],
    ['D-3001', 'Hooli', 'amer', 720_000, 'negotiation', 'nina'],
    ['D-3002', 'Stark Industries', 'amer', 890_000, 'proposal', 'nina'],
    ['D-3003', 'Wayne Enterprises', 'amer', 640_000, 'qualification', 'tom'],
    ['D-3004', 'Wonka Industries', 'amer', 115_000, 'closed-won', 'tom'],
    ['D-3005', 'Dunder Mifflin', 'amer', 48_000, 'closed-lost', 'nina'],
    ['D-3006', 'Prestige Worldwide', 'amer', 82_000, 'prospecting', 'tom'],
    ['D-3007', 'Bluth Company', 'amer', 160_000, 'negotiation', 'nina'],
    ['D-3008', 'Los Pollos Hermanos', 'amer', 99_000, 'proposal', 'tom'],
    ['D-3009', 'Sterling Cooper', 'amer', 275_000, 'qualification', 'nina'],
    ['D-3010', 'Aperture Science', 'amer', 385_000, 'closed-won', 'tom'],
  ],
);

/** An operational incident. */
export interface AcmeIncident {
  id: string;
  title: string;
  severity: 'sev1' | 'sev2' | 'sev3';
  service: string;
  status: 'open' | 'monitoring' | 'resolved';
  openedAt: string;
}

/** 12 incidents over the last months. */
export const ACME_INCIDENTS: readonly AcmeIncident[] = fromRows<AcmeIncident>(
  ['id', 'title', 'severity', 'service', 'status', 'openedAt'],
  [
    ['INC-101', 'Primary database outage', 'sev1', 'orders-db', 'resolved', '2026-08-14T09:12:00Z'],
    ['INC-102', 'Checkout latency above SLO', 'sev2', 'checkout', 'resolved', '2026-08-20T14:03:00Z'],
    ['INC-103', 'Login failures for SSO users', 'sev2', 'auth', 'resolved', '2026-08-27T07:45:00Z'],
    ['INC-104', 'Search index lagging by 2 hours', 'sev3', 'search', 'resolved', '2026-09-02T11:30:00Z'],
    ['INC-105', 'Email notifications delayed', 'sev3', 'notifications', 'resolved', '2026-09-09T16:10:00Z'],
    ['INC-106', 'Payment provider timeouts', 'sev1', 'payments', 'resolved', '2026-09-15T19:22:00Z'],
    ['INC-107', 'Disk pressure on analytics cluster', 'sev3', 'analytics', 'monitoring', '2026-09-21T03:05:00Z'],
    ['INC-108', 'Elevated 5xx on public API', 'sev2', 'api-gateway', 'resolved', '2026-09-28T12:48:00Z'],
    ['INC-109', 'Certificate expiry on status page', 'sev3', 'status-page', 'resolved', '2026-10-03T08:00:00Z'],
    ['INC-110', 'Replica lag alert muted', 'sev2', 'orders-db', 'monitoring', '2026-10-07T22:15:00Z'],
    ['INC-111', 'Mobile app crash on launch (Android)', 'sev2', 'mobile', 'open', '2026-10-12T10:40:00Z'],
    ['INC-112', 'Background jobs stuck in queue', 'sev3', 'jobs', 'open', '2026-10-14T15:55:00Z'],
  ],
);

/** A support ticket (seeded ones; the write tool adds more). */
export interface AcmeTicketSeed {
  title: string;
  body: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  reporterId: string;
  createdAt: string;
}

/** Three tickets from different reporters, so "reporter sees own" is observable. */
export const ACME_TICKETS: readonly AcmeTicketSeed[] = [
  {
    title: 'VPN drops every hour',
    body: 'The VPN client disconnects about once an hour from the London office.',
    severity: 'medium',
    reporterId: 'bob',
    createdAt: '2026-10-01T09:00:00Z',
  },
  {
    title: 'Flaky integration test in checkout',
    body: 'checkout-e2e fails about one run in ten on CI.',
    severity: 'low',
    reporterId: 'carol',
    createdAt: '2026-10-05T13:20:00Z',
  },
  {
    title: 'Expense portal rejects receipts',
    body: 'PDF receipts over 5 MB are rejected without an error message.',
    severity: 'high',
    reporterId: 'dana',
    createdAt: '2026-10-09T17:45:00Z',
  },
];
