import { z } from 'zod';
import { READ_CONTEXT_TOOL } from '../../agent/context-reference.ts';
import type { RunStore } from '../../agent/types.ts';
import type { MessageStore } from '../../threads/types.ts';
import type { VisibilityChecker } from '../../threads/visibility.ts';
import { type GrantChecker, requireGrant } from '../grant-guard.ts';
import { ToolDeniedError } from '../tool-errors.ts';
import type { ToolDefinition } from '../types.ts';
import { defineReadTool } from './define-read-tool.ts';

const input = z.strictObject({
  id: z.string().min(1).max(200).describe('The id of an earlier item named in the context, e.g. msg_…'),
});

/**
 * `read_context_item` (SPEC §13): reads an earlier labelled item of this thread into the run.
 * Only an item at or before the run's own request, in its thread, that the requester may read
 * now (I4); refused otherwise, with nothing about the item declared. Its labels are declared
 * before its content is returned, so they join the answer (I5).
 */
export function readContextTool(deps: {
  messages: MessageStore;
  runs: RunStore;
  visibility: VisibilityChecker;
  grants: GrantChecker;
}): ToolDefinition<z.infer<typeof input>> {
  return defineReadTool({
    name: READ_CONTEXT_TOOL,
    description:
      'Read an earlier item of this thread that the context names only by reference (an answer with labels). ' +
      'Its content and labels then join your answer, so read one only when the request needs it.',
    input,
    scope: 'context:read',
    async execute({ id }, context, audience) {
      const { principal } = requireGrant(deps.grants, context, audience);
      const refused = () => new ToolDeniedError(`No earlier item ${id} in this thread that you may read`);
      const [message, run] = await Promise.all([deps.messages.get(id), deps.runs.get(context.runId)]);
      if (!message || !run || message.threadId !== context.threadId) throw refused();
      const trigger = await deps.messages.get(run.triggerMessageId);
      if (!trigger || message.seq > trigger.seq) throw refused();
      // Decided for the human who asked, at this moment (I3, I4), as the context firewall does.
      if (!(await deps.visibility.check(principal.requester, message)).visible) throw refused();
      context.willRead(message.labels);
      return {
        content: {
          id: message.id,
          kind: message.kind,
          author: message.authorId,
          requester: message.requesterId,
          createdAt: message.createdAt,
          text: message.text,
        },
        labels: [...message.labels],
        accesses: [
          {
            action: 'context.read',
            resource: `message:${message.id}`,
            decision: 'allow',
            policies: [],
            labels: [...message.labels],
          },
        ],
      };
    },
  });
}
