import { ACME_COMPENSATION, ACME_DEALS, ACME_EMPLOYEES, ACME_INCIDENTS, ACME_TICKETS } from './seed-data.ts';

/** Quotes a trusted seed value as a SQL literal (standard_conforming_strings is on). */
function literal(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  return `'${value.replaceAll("'", "''")}'`;
}

function values(rows: readonly (readonly (string | number | null)[])[]): string {
  return rows.map((row) => `(${row.map(literal).join(', ')})`).join(',\n  ');
}

/** The seed rows as INSERT statements. */
export function acmeSeedSql(): string {
  const compensation = ACME_EMPLOYEES.map((employee) => {
    const pay = ACME_COMPENSATION[employee.id];
    if (!pay) throw new Error(`no compensation for ${employee.id}`);
    return [employee.id, pay.salary, pay.bonus];
  });
  return `
INSERT INTO employees (id, name, title, department, manager_id, location) VALUES
  ${values(ACME_EMPLOYEES.map((e) => [e.id, e.name, e.title, e.department, e.managerId, e.location]))};
INSERT INTO compensation (employee_id, salary, bonus) VALUES
  ${values(compensation)};
INSERT INTO deals (id, account, region, amount, stage, owner_id) VALUES
  ${values(ACME_DEALS.map((d) => [d.id, d.account, d.region, d.amount, d.stage, d.ownerId]))};
INSERT INTO incidents (id, title, severity, service, status, opened_at) VALUES
  ${values(ACME_INCIDENTS.map((i) => [i.id, i.title, i.severity, i.service, i.status, i.openedAt]))};
INSERT INTO tickets (title, body, severity, reporter_id, created_at) VALUES
  ${values(ACME_TICKETS.map((t) => [t.title, t.body, t.severity, t.reporterId, t.createdAt]))};
`;
}
