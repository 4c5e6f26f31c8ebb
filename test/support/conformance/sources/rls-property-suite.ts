import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runReadOnlyQuery } from '../../../../src/sources/sql-runner.ts';
import type { SqlPrincipal } from '../../../../src/sources/types.ts';
import { ACME_USERS } from '../../acme/demo.ts';
import { ACME_COMPENSATION, ACME_DEALS, ACME_EMPLOYEES } from '../../acme/seed-data.ts';
import { canSeeIncidents, visibleCompensationIds, visibleDealRegions } from '../../acme-visibility-oracle.ts';
import { type OpenAcme, useAcme } from './acme-fixtures.ts';

type Table = 'compensation' | 'deals' | 'incidents' | 'employees';

/** How each table appears in generated queries: the first column is always its key. */
const TABLES: Record<Table, { from: string; columns: string; person: string | null; numeric: string | null }> = {
  compensation: {
    from: 'compensation c',
    columns: 'c.employee_id, c.salary, c.bonus',
    person: 'c.employee_id',
    numeric: 'c.salary',
  },
  deals: { from: 'deals d', columns: 'd.id, d.region, d.amount', person: 'd.owner_id', numeric: 'd.amount' },
  incidents: { from: 'incidents i', columns: 'i.id, i.severity', person: null, numeric: null },
  employees: { from: 'employees x', columns: 'x.id, x.name', person: 'x.id', numeric: null },
};

const GROUPS = ['hr', 'finance', 'execs', 'sales', 'managers', 'sales-emea', 'sales-apac', 'sales-amer', 'engineering'];
const people = ACME_EMPLOYEES.map((employee) => employee.id);
const departments = [...new Set(ACME_EMPLOYEES.map((employee) => employee.department))];

const principal: fc.Arbitrary<SqlPrincipal> = fc.oneof(
  fc.constantFrom(...ACME_USERS.map((user) => ({ id: user.id, groups: [...user.groups] }))),
  fc.record({ id: fc.constant('agent:thr_prop'), groups: fc.subarray(GROUPS) }),
);

function filterFor(table: Table): fc.Arbitrary<{ join: string; where: string }> {
  const { person, numeric } = TABLES[table];
  const none = { join: '', where: 'true' };
  const options: fc.Arbitrary<{ join: string; where: string }>[] = [
    fc.constant(none),
    fc.constant({ join: '', where: `(true OR ${TABLES[table].columns.split(',')[0]} IS NULL)` }),
    fc.constant({ join: '', where: `current_setting('acme.user_id') <> 'dana'` }),
  ];
  if (numeric)
    options.push(fc.integer({ min: 0, max: 700_000 }).map((n) => ({ join: '', where: `${numeric} > ${n}` })));
  if (person) {
    options.push(
      fc.constantFrom(...people).map((id) => ({ join: '', where: `${person} = '${id}'` })),
      fc.constantFrom(...people).map((id) => ({
        join: '',
        where: `${person} IN (SELECT id FROM employees WHERE manager_id = '${id}')`,
      })),
      fc.constantFrom(...departments).map((department) => ({
        join: `JOIN employees e ON e.id = ${person}`,
        where: `e.department = '${department}'`,
      })),
    );
  }
  if (table === 'deals') {
    options.push(
      fc.constantFrom('emea', 'apac', 'amer').map((region) => ({ join: '', where: `d.region = '${region}'` })),
    );
  }
  return fc.oneof(...options);
}

const query = fc
  .constantFrom<Table>('compensation', 'deals', 'incidents', 'employees')
  .chain((table) =>
    fc.record({
      table: fc.constant(table),
      filter: filterFor(table),
      shape: fc.constantFrom('plain', 'cte', 'subquery', 'union', 'distinct', 'count'),
      limit: fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
    }),
  )
  .map(({ table, filter, shape, limit }) => {
    const { from, columns } = TABLES[table];
    const inner = `SELECT ${columns} FROM ${from} ${filter.join} WHERE ${filter.where}`;
    const order = limit === undefined ? '' : ` ORDER BY 1 LIMIT ${limit}`;
    const text = {
      plain: inner + order,
      cte: `WITH q AS (${inner}) SELECT * FROM q${order}`,
      subquery: `SELECT * FROM (${inner}) s${order}`,
      union: `${inner} UNION ALL ${inner}${order}`,
      distinct: `SELECT DISTINCT ${columns} FROM ${from} ${filter.join} WHERE ${filter.where}${order}`,
      count: `SELECT count(*) FROM ${from} ${filter.join} WHERE ${filter.where}`,
    }[shape];
    return { table, shape, text };
  });

/**
 * For random principals (demo users, agents with random groups) and random query shapes, every
 * row returned is one the TypeScript oracle allows, and the labels cover it: on every engine.
 */
export function describeRlsPropertySuite(engine: string, open: OpenAcme): void {
  describe(`Acme row-level security, property-based (${engine})`, () => {
    const acme = useAcme(open);

    it('returns only rows the oracle allows, with labels covering them, for random users and queries', async () => {
      await fc.assert(
        fc.asyncProperty(principal, query, async (who, { table, shape, text }) => {
          const result = await runReadOnlyQuery(acme().source, who, text, { maxRows: 500 });
          const compensation = visibleCompensationIds(who);
          const regions = visibleDealRegions(who);
          const allowedRows = {
            compensation: compensation.size,
            deals: ACME_DEALS.filter((deal) => regions.has(deal.region)).length,
            incidents: canSeeIncidents(who) ? 12 : 0,
            employees: ACME_EMPLOYEES.length,
          }[table];
          if (shape === 'count') {
            expect(Number(result.rows[0]?.[0])).toBeLessThanOrEqual(allowedRows);
            return;
          }
          for (const row of result.rows) {
            if (table === 'compensation') {
              const [employeeId, salary, bonus] = row as [string, number, number];
              expect(compensation.has(employeeId), `${who.id} saw ${employeeId}: ${text}`).toBe(true);
              expect({ salary, bonus }).toEqual(ACME_COMPENSATION[employeeId]);
            } else if (table === 'deals') {
              expect(regions.has(row[1] as string), `${who.id} saw a ${row[1]} deal: ${text}`).toBe(true);
              expect(result.labels).toContain(`sales-pipeline:${row[1]}`);
            } else if (table === 'incidents') {
              expect(canSeeIncidents(who), `${who.id} saw incidents: ${text}`).toBe(true);
            }
          }
          if (table === 'compensation') expect(result.labels).toContain('hr-confidential');
          for (const label of result.labels.filter((candidate) => candidate.startsWith('sales-pipeline:'))) {
            expect(regions.has(label.slice('sales-pipeline:'.length))).toBe(true);
          }
        }),
        { numRuns: 150 },
      );
    });
  });
}
