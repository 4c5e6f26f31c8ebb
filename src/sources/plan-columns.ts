import { normalizeLabelRule } from './label-templates.ts';
import type { TableLabelRules } from './types.ts';

/**
 * Reading columns and function calls out of an `EXPLAIN (VERBOSE, FORMAT JSON)` plan. VERBOSE
 * prints every column reference qualified by its relation's alias (`p.ssn`, `p."order"`, `p.*`
 * for the whole row), unique within the plan, and resolves references through child nodes to
 * the base column, so a join's `Hash Cond` or an aggregate's `Output` names the columns it uses.
 */

type PlanNode = Record<string, unknown>;

/**
 * Nodes whose `Output` need not be what the statement uses: a scan may return every column of its
 * table (PostgreSQL's "physical target list" under a join, a hash or a sort) and these pass rows
 * on unchanged. Their own conditions (`Filter`, `Index Cond`, `Sort Key`...) always count.
 */
const PASSIVE = new Set([
  'Seq Scan',
  'Index Scan',
  'Index Only Scan',
  'Bitmap Heap Scan',
  'Tid Scan',
  'Tid Range Scan',
  'Sample Scan',
  'Hash',
  'Sort',
  'Incremental Sort',
  'Materialize',
  'Memoize',
  'Gather',
  'Gather Merge',
  'Unique',
  'Limit',
]);

/**
 * Nodes that compute exactly what their parent needs, naming base columns through their children:
 * joins, aggregation, projection. A passive child of one of these (through passive nodes only)
 * contributes only what this node's own fields name. Everything else (subquery, CTE and function
 * scans, appends, set operations, window aggregation, whose window clause older servers do not
 * print) leaves its children's `Output` counted: unsure means read.
 */
const PROJECTING = new Set(['Nested Loop', 'Hash Join', 'Merge Join', 'Aggregate', 'Group', 'Result', 'ProjectSet']);

const THROUGH_PARENT = new Set(['Outer', 'Inner', 'Member']);

function parsePlan(plan: unknown): unknown {
  return typeof plan === 'string' ? JSON.parse(plan) : plan;
}

/** Every plan node with its parent, depth first: roots (`Plan` of each statement) have none. */
function planNodes(plan: unknown): { node: PlanNode; parent: PlanNode | undefined }[] {
  const found: { node: PlanNode; parent: PlanNode | undefined }[] = [];
  const visit = (node: unknown, parent: PlanNode | undefined) => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
    const record = node as PlanNode;
    found.push({ node: record, parent });
    const children = record.Plans;
    if (Array.isArray(children)) for (const child of children) visit(child, record);
  };
  const roots = Array.isArray(plan) ? plan : [plan];
  for (const root of roots) visit((root as { Plan?: unknown } | null)?.Plan, undefined);
  return found;
}

/** All strings in a node's own fields (not its child plans), optionally leaving `Output` out. */
function fieldStrings(node: PlanNode, withOutput: boolean): string[] {
  const strings: string[] = [];
  const collect = (value: unknown) => {
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) for (const item of value) collect(item);
    else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) collect(item);
  };
  for (const [key, value] of Object.entries(node)) {
    if (key === 'Plans' || (key === 'Output' && !withOutput)) continue;
    collect(value);
  }
  return strings;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An identifier as EXPLAIN may print it: bare, or double-quoted (inner quotes doubled). */
function identifierPattern(name: string): string {
  return `(?:${escapeRegExp(name)}|"${escapeRegExp(name.replaceAll('"', '""'))}")`;
}

const IDENTIFIER_CHAR = 'A-Za-z0-9_$';

/**
 * Which of the labelled columns (`columns:` of each rule) a statement reads, from its plan: each
 * labelled table scanned maps to the labelled columns referenced through its alias anywhere that
 * matters (conditions, keys, computed outputs, the result, `alias.*`). Conservative: a table
 * scanned without an alias, or a plan that cannot be read, counts as reading every labelled
 * column (the map has no entry for it). Tables without column labels are not in the map.
 */
export function labeledColumnsRead(plan: unknown, rules: TableLabelRules): Map<string, Set<string>> {
  const wanted = new Map<string, string[]>();
  for (const [table, rule] of Object.entries(rules)) {
    const columns = [...normalizeLabelRule(rule).columns.keys()];
    if (columns.length > 0) wanted.set(table, columns);
  }
  const read = new Map<string, Set<string>>();
  if (wanted.size === 0) return read;
  let nodes: ReturnType<typeof planNodes>;
  try {
    nodes = planNodes(parsePlan(plan));
  } catch {
    return read;
  }
  const parents = new Map(nodes.map(({ node, parent }) => [node, parent]));
  const passiveMemo = new Map<PlanNode, boolean>();
  // Whether a node's Output may be ignored: passive, and feeding (through passive nodes only) a
  // node that names what it uses.
  const outputIgnored = (node: PlanNode): boolean => {
    const known = passiveMemo.get(node);
    if (known !== undefined) return known;
    const parent = parents.get(node);
    const ignored =
      PASSIVE.has(String(node['Node Type'])) &&
      THROUGH_PARENT.has(String(node['Parent Relationship'])) &&
      parent !== undefined &&
      (PROJECTING.has(String(parent['Node Type'])) || outputIgnored(parent));
    passiveMemo.set(node, ignored);
    return ignored;
  };
  const counted = nodes.flatMap(({ node }) => fieldStrings(node, !outputIgnored(node))).join('\n');
  const unsure = new Set<string>();
  const aliases = new Map<string, string>();
  for (const { node } of nodes) {
    const relation = node['Relation Name'];
    if (typeof relation !== 'string') continue;
    const schema = typeof node.Schema === 'string' ? node.Schema : 'public';
    const table = schema === 'public' ? relation : `${schema}.${relation}`;
    if (!wanted.has(table)) continue;
    if (typeof node.Alias === 'string') aliases.set(node.Alias, table);
    else unsure.add(table);
  }
  for (const table of wanted.keys()) if (!unsure.has(table)) read.set(table, new Set());
  for (const [alias, table] of aliases) {
    const columns = read.get(table);
    if (!columns) continue;
    const qualifier = `(?<![${IDENTIFIER_CHAR}."])${identifierPattern(alias)}\\.`;
    if (new RegExp(`${qualifier}\\*`).test(counted)) {
      for (const column of wanted.get(table) ?? []) columns.add(column);
      continue;
    }
    for (const column of wanted.get(table) ?? []) {
      if (new RegExp(`${qualifier}${identifierPattern(column)}(?![${IDENTIFIER_CHAR}"])`).test(counted)) {
        columns.add(column);
      }
    }
  }
  return read;
}

/**
 * The functions of `denied` that a plan calls, by name anywhere in it (expressions, conditions,
 * init plans, inlined SQL functions), bare or `pg_catalog.`-qualified. An unreadable plan calls
 * them all (fail closed). A function reached only from inside another function's body (not
 * inlined) is not visible here: the source's own privileges are the guarantee, this the backstop.
 */
export function deniedFunctionsCalled(plan: unknown, denied: readonly string[]): string[] {
  if (denied.length === 0) return [];
  let text: string;
  try {
    text = planNodes(parsePlan(plan))
      .flatMap(({ node }) => fieldStrings(node, true))
      .join('\n');
  } catch {
    return [...denied];
  }
  return denied.filter((name) =>
    new RegExp(
      `(?<![${IDENTIFIER_CHAR}."])(?:(?:pg_catalog|"pg_catalog")\\.)?${identifierPattern(name)}\\s*\\(`,
      'i',
    ).test(text),
  );
}
