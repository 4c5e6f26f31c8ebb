import { forEachPlanNode } from './plan-tables.ts';
/**
 * What PostgreSQL expects a statement to cost, from its `EXPLAIN (FORMAT JSON)` plan, in the
 * planner's units (a sequential page read is 1, a row through an operator 0.0025 by default):
 * the top node's `Total Cost`, or, when larger, the `Total Cost` of any function scan in the plan.
 *
 * Why function scans too: PostgreSQL runs a function in FROM to completion and stores its whole
 * result before returning the first row, but the planner discounts the cost under a LIMIT as if it
 * streamed. The runner always wraps statements in a LIMIT, so `SELECT * FROM generate_series(1,
 * 300000000)` would plan at ~2 while running for minutes; charged in full it plans at 3,000,000.
 *
 * An estimate, not a measurement: a plan the planner misjudges (a set-returning function whose
 * arguments it cannot see, `generate_series(1, (SELECT n))`, or a recursive CTE) looks cheap.
 * The time limit stays the backstop. An unreadable plan costs `Infinity` (refused: fail closed).
 */
export function plannedCost(plan: unknown): number {
  let parsed: unknown;
  try {
    parsed = typeof plan === 'string' ? JSON.parse(plan) : plan;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
  const top = (Array.isArray(parsed) ? parsed[0] : undefined) as { Plan?: unknown } | undefined;
  let cost = costOf(top?.Plan);
  if (cost === undefined) return Number.POSITIVE_INFINITY;
  forEachPlanNode(top?.Plan, (record) => {
    if (record['Node Type'] === 'Function Scan') cost = Math.max(cost ?? 0, costOf(record) ?? 0);
  });
  return cost;
}

function costOf(node: unknown): number | undefined {
  const total = (node as { 'Total Cost'?: unknown } | undefined)?.['Total Cost'];
  return typeof total === 'number' && Number.isFinite(total) && total >= 0 ? total : undefined;
}
