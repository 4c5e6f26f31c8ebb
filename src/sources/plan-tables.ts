/**
 * The tables a statement reads, from its `EXPLAIN (VERBOSE, FORMAT JSON)` plan: every node with a
 * `Relation Name`, wherever it sits (joins, subplans, init plans, CTEs, policy sublinks). Keys are
 * the bare name for `public` and `schema.name` elsewhere, sorted and unique.
 */
export function tablesInPlan(plan: unknown): string[] {
  const tables = new Set<string>();
  forEachPlanNode(typeof plan === 'string' ? JSON.parse(plan) : plan, (record) => {
    const relation = record['Relation Name'];
    if (typeof relation === 'string') {
      const schema = typeof record.Schema === 'string' ? record.Schema : 'public';
      tables.add(schema === 'public' ? relation : `${schema}.${relation}`);
    }
  });
  return [...tables].sort();
}

/** Calls `visit` with every object in a JSON plan, depth first (plans nest nodes in arrays). */
export function forEachPlanNode(node: unknown, visit: (record: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) forEachPlanNode(child, visit);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  visit(record);
  for (const value of Object.values(record)) forEachPlanNode(value, visit);
}
