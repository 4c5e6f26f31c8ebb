import type { SourcePerson, SqlDataSource } from '../../sources/types.ts';
import { type CompiledAction, runSourceAction } from '../../sources/workspace/source-action.ts';
import { type GrantChecker, requireGrant } from '../grant-guard.ts';
import type { ToolDefinition } from '../types.ts';

/**
 * A write a workspace declares on a SQL source (`actions:` of behalf.yaml) as a tool: the grant's
 * subject is the actor, the source's identity settings carry them into the database and its RLS
 * checks the write; nothing in the arguments can name another actor (the input is strict). Policy
 * makes every agent-initiated write wait for the requester's approval.
 *
 * The result is the one row the statement returned (its RETURNING clause), or `{ rows }`.
 */
export function sourceActionTool(deps: {
  source: SqlDataSource;
  /** The source's name in behalf.yaml: the tool's scope is `<source>:write`. */
  sourceName: string;
  action: CompiledAction;
  /** The acting person's directory record, for the source's identity templates (read at each call, I3). */
  person?: (id: string) => Promise<Omit<SourcePerson, 'id' | 'groups'> | undefined>;
  grants: GrantChecker;
}): ToolDefinition<Record<string, unknown>> {
  const { action } = deps;
  const audience = `behalf:tool:${action.name}`;
  return {
    name: action.name,
    description: `${action.description} Needs your approval.`,
    inputSchema: action.inputSchema,
    effect: 'write',
    audience,
    scope: `${deps.sourceName}:write`,
    async execute(input, context) {
      const { subject, principal } = requireGrant(deps.grants, context, audience);
      const person = { ...(await deps.person?.(subject)), id: subject, groups: principal.groups };
      // A failure (an RLS refusal, a constraint naming a value) carries the action's labels; per-row
      // labels are not known before it runs, so such a failure stays `unclassified`.
      if (action.labels.every((label) => label.columns.length === 0)) {
        context.willRead(action.labels.map((label) => label.source));
      }
      const result = await runSourceAction(deps.source, person, action, input);
      // No access record of its own: the gateway commits the write's `data.write` record before
      // it runs (I6), exactly one per call.
      return {
        content: result.rows.length === 1 ? result.rows[0] : { rows: result.rows },
        labels: result.labels,
      };
    },
  };
}
