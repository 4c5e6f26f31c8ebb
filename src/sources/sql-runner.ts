import { jsonSafeRow } from './json-safe.ts';
import { deniedFunctionsCalled, labeledColumnsRead } from './plan-columns.ts';
import { plannedCost } from './plan-cost.ts';
import { tablesInPlan } from './plan-tables.ts';
import { actAs, assertPrincipal } from './principal-session.ts';
import { wrapReadOnlyStatement } from './read-only-statement.ts';
import { labelsForTables, labelsKnownWithoutReading } from './result-labels.ts';
import { RowSecurityRulesCache } from './row-security-rules.ts';
import { SqlQueryError, toSqlQueryError } from './sql-query-error.ts';
import { sqlStateOf } from './sql-source-error.ts';
import type { SourcePerson, SqlDataSource, SqlExecutor, SqlResult } from './types.ts';

/** Limits of one read-only query. */
export interface ReadOnlyQueryOptions {
  /**
   * Hard deadline for the whole transaction (plan, statement, labels), not counting the wait for
   * its turn. Default: the source's `fairUse.timeoutMs`, else 2000.
   */
  timeoutMs?: number;
  /** Rows returned at most; more sets `truncated`. Default 200, and never above the source's `maxRows`. */
  maxRows?: number;
  /** Approximate JSON size of the returned rows at most; more sets `truncated`. Default 1 MB. */
  maxBytes?: number;
  /**
   * Called with the labels of every table in the statement's plan, computed for the principal,
   * before the statement runs: whatever happens next (an error quoting a value, a timeout), the
   * outcome is data about those tables (SPEC I5). Not called when the plan cannot be read.
   */
  onReading?: (labels: string[]) => void;
  /**
   * Whose turn the query waits for on the source's fair queue: the person who asked (in
   * self-authorized mode the principal is the agent, shared by every member). Default: the
   * principal's id.
   */
  person?: string;
  /** Aborting gives up the query's place in line (it cannot stop a statement already running). */
  signal?: AbortSignal;
  /** Overrides the source's cost budget (benchmarks and tests; never from model output). */
  costBudget?: number;
}

/** Without a source's own `fairUse`: the budget of the embedded source, the strictest. */
const DEFAULT_COST_BUDGET = 1_000;

function bounded(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new SqlQueryError('invalid', `${name} must be an integer between 1 and ${max}`);
  }
  return value;
}

/**
 * Runs model-written SQL for `principal` (I10: the text is untrusted). One read-only, repeatable
 * read transaction, always rolled back: identity settings, then the reader role (`actAs`), then
 * the statement wrapped as a bounded subquery (`wrapReadOnlyStatement`). Its plan gives the
 * tables read and the labelled columns it reads; their labels are computed in the same RLS
 * context. A plan calling one of the source's `deniedFunctions` is refused unrun. Rows are
 * arrays in column order (duplicate names stay apart). Rejects with `SqlQueryError`.
 */
export async function runReadOnlyQuery(
  source: SqlDataSource,
  principal: SourcePerson,
  sql: string,
  options: ReadOnlyQueryOptions = {},
): Promise<SqlResult> {
  const timeoutMs = bounded('timeoutMs', options.timeoutMs ?? source.fairUse?.timeoutMs ?? 2000, 120_000);
  const maxRows = bounded('maxRows', Math.min(options.maxRows ?? 200, source.maxRows ?? 10_000), 10_000);
  const maxBytes = bounded('maxBytes', options.maxBytes ?? 1_000_000, 50_000_000);
  const statement = wrapReadOnlyStatement(sql, maxRows + 1);
  const costBudget = options.costBudget ?? source.fairUse?.costBudget ?? DEFAULT_COST_BUDGET;
  assertPrincipal(principal);
  const run = () =>
    source.transaction(
      async (tx) => {
        await actAs(tx, source.access, principal, source.access.readerRole, timeoutMs);
        const plan = await tx.query<[unknown]>(`EXPLAIN (VERBOSE, FORMAT JSON) ${statement}`, [], {
          rowMode: 'array',
        });
        const tables = tablesInPlan(plan.rows[0]?.[0]);
        const columnsRead = labeledColumnsRead(plan.rows[0]?.[0], source.tableLabels);
        let labels: string[];
        const labelsByTable = new Map<string, string[]>();
        try {
          labels = await labelsForTables(tx, tables, source.tableLabels, columnsRead, labelsByTable);
        } catch (error) {
          options.onReading?.(labelsKnownWithoutReading(tables, source.tableLabels, columnsRead));
          throw error;
        }
        options.onReading?.(labels);
        const denied = deniedFunctionsCalled(plan.rows[0]?.[0], source.deniedFunctions ?? []);
        if (denied.length > 0) {
          throw new SqlQueryError(
            'permission_denied',
            `${denied.join(', ')} may not be called in a query on this data source`,
          );
        }
        // Refused before it runs, after its labels are known: the refusal is an outcome too (I5).
        // The estimate itself stays out of the message: it derives from statistics over all rows.
        if (plannedCost(plan.rows[0]?.[0]) > costBudget) {
          throw new SqlQueryError(
            'too_costly',
            `the query's planned cost exceeds this data source's budget of ${costBudget}: ` +
              'filter, aggregate or join less data (large generated series and cross joins cost the most)',
          );
        }
        const result = await tx.query<unknown[]>(statement, [], { rowMode: 'array' });
        const rowSecurity = await (source.rowSecurityRules ?? new RowSecurityRulesCache()).rulesFor(tx, tables);
        const rows: unknown[][] = [];
        let bytes = 0;
        let truncated = result.rows.length > maxRows;
        for (const row of result.rows.slice(0, maxRows)) {
          const safe = jsonSafeRow(row);
          bytes += JSON.stringify(safe).length;
          if (bytes > maxBytes) {
            truncated = true;
            break;
          }
          rows.push(safe);
        }
        const columns = result.fields.map((field) => field.name);
        return {
          columns,
          rows,
          rowCount: rows.length,
          truncated,
          tables,
          labels,
          labelsByTable: Object.fromEntries(labelsByTable),
          rowSecurity,
        };
      },
      { readOnly: true, timeoutMs },
    );
  try {
    const fairUse = source.fairUse;
    return await (fairUse ? fairUse.schedule(options.person ?? principal.id, run, options.signal) : run());
  } catch (error) {
    throw toSqlQueryError(error, timeoutMs);
  }
}

/**
 * Runs a write tool's own statements (trusted code, never model SQL) for `principal` in one
 * read-write transaction as the writer role, committed when `fn` resolves. Identity comes from
 * the principal only, through the same settings the source's policies check on INSERT.
 */
export async function runAsWriter<T>(
  source: SqlDataSource,
  principal: SourcePerson,
  fn: (tx: SqlExecutor) => Promise<T>,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  const timeoutMs = bounded('timeoutMs', options.timeoutMs ?? 2000, 60_000);
  assertPrincipal(principal);
  const writerRole = source.access.writerRole;
  if (!writerRole) throw new SqlQueryError('permission_denied', 'this data source accepts no writes');
  try {
    return await source.transaction(
      async (tx) => {
        await actAs(tx, source.access, principal, writerRole, timeoutMs);
        return fn(tx);
      },
      { timeoutMs },
    );
  } catch (error) {
    // The tool's own failures pass through unchanged; the source's are classified.
    throw sqlStateOf(error) === undefined && !(error instanceof SqlQueryError)
      ? error
      : toSqlQueryError(error, timeoutMs);
  }
}
