import { describe, expect, it } from 'vitest';
import { plannedCost } from './plan-cost.ts';

const limitOver = (child: Record<string, unknown>, total: number) => [
  { Plan: { 'Node Type': 'Limit', 'Total Cost': total, Plans: [child] } },
];

describe('plannedCost', () => {
  it('is the top node’s total cost', () => {
    expect(plannedCost(limitOver({ 'Node Type': 'Seq Scan', 'Total Cost': 900 }, 2.5))).toBe(2.5);
  });

  it('charges a function scan in full: PostgreSQL materializes it before the LIMIT applies', () => {
    expect(plannedCost(limitOver({ 'Node Type': 'Function Scan', 'Total Cost': 3_000_000 }, 2.01))).toBe(3_000_000);
  });

  it('finds function scans anywhere: joins, subplans, init plans', () => {
    const plan = limitOver(
      {
        'Node Type': 'Nested Loop',
        'Total Cost': 10,
        Plans: [
          { 'Node Type': 'Seq Scan', 'Total Cost': 1 },
          { 'Node Type': 'Function Scan', 'Total Cost': 4_000 },
        ],
      },
      3,
    );
    expect(plannedCost(JSON.stringify(plan))).toBe(4_000);
  });

  it('fails closed: an unreadable plan costs Infinity', () => {
    expect(plannedCost('not json')).toBe(Number.POSITIVE_INFINITY);
    expect(plannedCost([{}])).toBe(Number.POSITIVE_INFINITY);
    expect(plannedCost(undefined)).toBe(Number.POSITIVE_INFINITY);
    expect(plannedCost([{ Plan: { 'Total Cost': 'NaN' } }])).toBe(Number.POSITIVE_INFINITY);
  });
});
