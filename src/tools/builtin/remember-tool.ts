import { z } from 'zod';
import type { RunStore } from '../../agent/types.ts';
import { memoryProvenance } from '../../memory/memory-origin.ts';
import type { MemoryStore } from '../../memory/types.ts';
import type { Clock } from '../../shared/clock.ts';
import type { IdGenerator } from '../../shared/ids.ts';
import { type GrantChecker, requireGrant } from '../grant-guard.ts';
import { ToolDeniedError } from '../tool-errors.ts';
import type { ToolDefinition } from '../types.ts';
import { defineReadTool } from './define-read-tool.ts';

export const REMEMBER_TOOL = 'remember';

const input = z.strictObject({
  // No `.trim()` transform: the gateway audits the arguments as sent, and a tool receives them so.
  text: z
    .string()
    .max(2000)
    .refine((value) => value.trim().length > 0, 'must not be blank')
    .describe('The fact to remember in this thread, in one or two sentences'),
});

/**
 * `remember` (issue 10 point 4): stores a fact in the thread's memory for the human who asked.
 * The memory is labelled with every label the run had accumulated when it was called and names
 * where those came from (`memoryProvenance`); nothing in the arguments can choose labels, thread
 * or requester (strict schema, identity from the grant). It writes only Behalf's own thread
 * memory — attributed, labelled and deletable by its requester, like the agent's answers — so
 * it runs unattended (`effect: 'read'`); a workspace policy can still require approval for it.
 */
export function rememberTool(deps: {
  memories: MemoryStore;
  runs: RunStore;
  grants: GrantChecker;
  clock: Clock;
  ids: IdGenerator;
}): ToolDefinition<z.infer<typeof input>> {
  return defineReadTool({
    name: REMEMBER_TOOL,
    description:
      'Remember a fact in this thread so later requests can recall it. The memory keeps the sensitivity labels ' +
      'of everything you read in this request, and only people cleared for them can recall it.',
    input,
    scope: 'memory:write',
    async execute({ text }, context, audience) {
      const { principal } = requireGrant(deps.grants, context, audience);
      const run = await deps.runs.get(context.runId);
      if (!run || run.threadId !== context.threadId || run.requesterId !== principal.requester) {
        throw new ToolDeniedError('This run cannot remember anything in this thread');
      }
      const { labels, origin } = memoryProvenance(run, context.callId);
      context.willRead(labels);
      const id = deps.ids.next('mem');
      await deps.memories.create({
        id,
        threadId: run.threadId,
        text: text.trim(),
        requesterId: principal.requester,
        createdAt: deps.clock.now(),
        labels,
        origin,
      });
      return {
        content: { remembered: id, labels },
        labels,
        accesses: [{ action: 'memory.write', resource: `memory:${id}`, decision: 'allow', policies: [], labels }],
      };
    },
  });
}
