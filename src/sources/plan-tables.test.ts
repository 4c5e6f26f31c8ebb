import { describe, expect, it } from 'vitest';
import { tablesInPlan } from './plan-tables.ts';

describe('tablesInPlan', () => {
  it('finds relations in joins, init plans, subplans and CTEs, qualified outside public', () => {
    const plan = [
      {
        Plan: {
          'Node Type': 'Hash Join',
          Plans: [
            { 'Node Type': 'Seq Scan', 'Relation Name': 'employees', Schema: 'public', Alias: 'e' },
            {
              'Node Type': 'Hash',
              Plans: [{ 'Node Type': 'Seq Scan', 'Relation Name': 'compensation', Schema: 'public', Alias: 'x' }],
            },
            {
              'Node Type': 'Result',
              'Parent Relationship': 'InitPlan',
              Plans: [{ 'Node Type': 'Index Scan', 'Relation Name': 'pg_class', Schema: 'pg_catalog' }],
            },
            { 'Node Type': 'CTE Scan', 'CTE Name': 'x', Alias: 'deals' },
          ],
        },
      },
    ];
    expect(tablesInPlan(plan)).toEqual(['compensation', 'employees', 'pg_catalog.pg_class']);
  });

  it('accepts the plan as JSON text and returns nothing for a plan without relations', () => {
    expect(tablesInPlan(JSON.stringify([{ Plan: { 'Node Type': 'Result' } }]))).toEqual([]);
    expect(tablesInPlan(undefined)).toEqual([]);
  });
});
