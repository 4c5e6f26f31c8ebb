import { createTicket, TicketInputSchema } from '../../sources/index.ts';
import type { SqlDataSource } from '../../sources/types.ts';
import { type GrantChecker, requireGrant } from '../grant-guard.ts';
import type { ToolDefinition } from '../types.ts';

/**
 * `create_ticket`: the demo's write tool. It files an engineering ticket in the data source with
 * the grant's subject as reporter (never from arguments). Policy makes every agent-initiated
 * write wait for the requester's approval (`agent-writes-need-approval`).
 */
export function createTicketTool(deps: { source: SqlDataSource; grants: GrantChecker }): ToolDefinition<unknown> {
  const audience = 'behalf:tool:create_ticket';
  return {
    name: 'create_ticket',
    description:
      'File a ticket for the engineering team (title, body, severity low|medium|high|critical). Needs your approval.',
    inputSchema: TicketInputSchema,
    effect: 'write',
    audience,
    scope: 'tickets:write',
    async execute(input, context) {
      const { subject, principal } = requireGrant(deps.grants, context, audience);
      const ticket = await createTicket(deps.source, { id: subject, groups: principal.groups }, input);
      return { content: ticket, labels: ticket.labels };
    },
  };
}
