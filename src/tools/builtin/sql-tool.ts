import { z } from 'zod';
import type { PolicyEngine } from '../../policy/types.ts';
import { runReadOnlyQuery, SqlQueryError } from '../../sources/index.ts';
import type { SqlDataSource } from '../../sources/types.ts';
import { type GrantChecker, requireGrant } from '../grant-guard.ts';
import { ToolDeniedError } from '../tool-errors.ts';
import type { ToolDefinition } from '../types.ts';
import { statementRecord } from './sql-statement-record.ts';

const input = z.strictObject({
  query: z.string().min(1).max(4000).describe('One read-only SQL SELECT statement (PostgreSQL dialect)'),
});

/**
 * `sql`: one read-only statement on a SQL data source, run under the grant's subject so the
 * source's own row-level security decides which rows come back (SPEC §4). The result is
 * labelled from the rows the subject can see in every table the statement read. Its `data.query`
 * record carries the statement's hash, and its shape when policy allows (`statementRecord`).
 */
export function sqlTool(deps: {
  source: SqlDataSource;
  policy: PolicyEngine;
  grants: GrantChecker;
  description?: string;
  timeoutMs?: number;
  maxRows?: number;
}): ToolDefinition<z.infer<typeof input>> {
  const audience = 'behalf:tool:sql';
  return {
    name: 'sql',
    description:
      deps.description ??
      'Run one read-only SQL query on the Acme database with your own permissions. Tables: ' +
        'employees(id, name, title, department, manager_id, location), compensation(employee_id, salary, bonus), ' +
        'deals(id, account, region, amount, stage, owner_id) with region emea|apac|amer, ' +
        'incidents(id, title, severity, service, status, opened_at).',
    inputSchema: input,
    effect: 'read',
    audience,
    scope: 'sql:read',
    async execute({ query }, context) {
      const { subject, principal } = requireGrant(deps.grants, context, audience);
      try {
        const result = await runReadOnlyQuery(deps.source, { id: subject, groups: principal.groups }, query, {
          timeoutMs: deps.timeoutMs ?? deps.source.fairUse?.timeoutMs ?? 5000,
          maxRows: deps.maxRows ?? 200,
          onReading: (labels) => context.willRead(labels),
          // The fair queue is per person: the human who asked, even when the agent acts as itself.
          person: principal.requester,
          signal: context.signal,
        });
        const statement = await statementRecord(deps.policy, principal, context.threadId, query, result.labels);
        const rows = result.rows.map((row) =>
          Object.fromEntries(result.columns.map((column, index) => [column, row[index]])),
        );
        return {
          content: {
            columns: result.columns,
            rows,
            rowCount: result.rowCount,
            truncated: result.truncated,
            ...(result.rowSecurity.length > 0 ? { rowSecurity: result.rowSecurity } : {}),
          },
          labels: result.labels,
          accesses: [
            {
              action: 'data.query',
              resource: `sql:${result.tables.join(',') || 'none'}`,
              decision: 'allow',
              policies: [],
              labels: result.labels,
              reason: `${result.rowCount} rows`,
              ...statement,
            },
          ],
        };
      } catch (error) {
        if (error instanceof SqlQueryError && error.kind === 'permission_denied')
          throw new ToolDeniedError(error.message);
        throw error;
      }
    },
  };
}
