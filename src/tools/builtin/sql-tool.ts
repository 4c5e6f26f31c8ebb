import { z } from 'zod';
import type { PolicyEngine } from '../../policy/types.ts';
import { runReadOnlyQuery, SqlQueryError } from '../../sources/index.ts';
import type { SourcePerson, SqlDataSource } from '../../sources/types.ts';
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
  /** The tool's name: `sql` for a workspace's first source, `sql_<name>` (or its `tool`) for others. */
  name?: string;
  /**
   * The acting person's current directory record (name, email, attributes) for the source's
   * identity templates, read at each call so a change applies at the next one (I3).
   */
  person?: (id: string) => Promise<Omit<SourcePerson, 'id' | 'groups'> | undefined>;
  policy: PolicyEngine;
  grants: GrantChecker;
  description?: string;
  timeoutMs?: number;
  maxRows?: number;
}): ToolDefinition<z.infer<typeof input>> {
  const name = deps.name ?? 'sql';
  const audience = `behalf:tool:${name}`;
  return {
    name,
    description:
      deps.description ??
      (deps.source as { description?: string }).description ??
      // A workspace source describes its own tables; a bare source (tests) gets no table listing.
      'Run one read-only SQL query (PostgreSQL dialect) on the data source with your own permissions.',
    inputSchema: input,
    effect: 'read',
    audience,
    scope: 'sql:read',
    async execute({ query }, context) {
      const { subject, principal } = requireGrant(deps.grants, context, audience);
      try {
        const person = { ...(await deps.person?.(subject)), id: subject, groups: principal.groups };
        const result = await runReadOnlyQuery(deps.source, person, query, {
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
          labelSources: Object.entries(result.labelsByTable ?? {}).flatMap(([table, labels]) =>
            labels.map((label) => ({ label, kind: 'table' as const, source: table })),
          ),
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
        // A person the source's identity templates cannot describe is refused, never run as nobody.
        if (error instanceof SqlQueryError && (error.kind === 'permission_denied' || error.kind === 'unidentified'))
          throw new ToolDeniedError(error.message);
        throw error;
      }
    },
  };
}
