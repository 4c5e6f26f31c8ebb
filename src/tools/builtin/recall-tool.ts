import { z } from 'zod';
import type { Memory, MemoryStore } from '../../memory/types.ts';
import type { VisibilityChecker } from '../../threads/visibility.ts';
import { type GrantChecker, requireGrant } from '../grant-guard.ts';
import type { ToolDataAccess, ToolDefinition } from '../types.ts';
import { defineReadTool } from './define-read-tool.ts';

export const RECALL_TOOL = 'recall';

/** The most memories one recall returns (newest first). */
const MAX_RECALLED = 20;

const input = z.strictObject({
  query: z
    .string()
    .max(500)
    .optional()
    .describe('Words the memories should contain; leave out to recall everything remembered in this thread'),
});

/**
 * `recall` (issue 10 point 4): the memories of this thread the requester is cleared for now, by
 * the same clearance check as every other labelled item (`VisibilityChecker.clearance`, I3, I4).
 * Their labels are declared before their text is returned, so they join the run and the answer
 * (I5). Memories the requester is not cleared for are left out without a trace — no count, no
 * placeholder — since even their number would tell the model something derived from data the
 * requester may not read; each one is audited as a denied `memory.read`.
 */
export function recallTool(deps: {
  memories: MemoryStore;
  visibility: VisibilityChecker;
  grants: GrantChecker;
}): ToolDefinition<z.infer<typeof input>> {
  return defineReadTool({
    name: RECALL_TOOL,
    description:
      'Recall facts remembered earlier in this thread (optionally only those containing some words). ' +
      'Their sensitivity labels join your answer.',
    input,
    scope: 'memory:read',
    async execute({ query }, context, audience) {
      const { principal } = requireGrant(deps.grants, context, audience);
      const candidates = (await deps.memories.listByThread(context.threadId))
        .filter((memory) => matches(memory, query))
        .reverse();
      const recalled: Memory[] = [];
      const accesses: ToolDataAccess[] = [];
      for (const memory of candidates) {
        const clearance = await deps.visibility.clearance(principal.requester, memory.labels);
        accesses.push({
          action: 'memory.read',
          resource: `memory:${memory.id}`,
          decision: clearance.cleared ? 'allow' : 'deny',
          policies: clearance.policies,
          labels: [...memory.labels],
          ...(clearance.cleared ? {} : { reason: `not cleared for ${clearance.missing.join(', ') || 'unclassified'}` }),
        });
        if (clearance.cleared && recalled.length < MAX_RECALLED) recalled.push(memory);
      }
      // Nothing recalled is still an answer built from public facts only (the request itself).
      const labels = recalled.length > 0 ? [...new Set(recalled.flatMap((memory) => memory.labels))] : ['public'];
      context.willRead(labels);
      return {
        content: {
          memories: recalled.map((memory) => ({
            id: memory.id,
            text: memory.text,
            rememberedFor: memory.requesterId,
            at: memory.createdAt,
            labels: memory.labels,
          })),
        },
        labels,
        accesses,
      };
    },
  });
}

/** Whether a memory contains any of the query's words (every memory when there are none). */
function matches(memory: Memory, query: string | undefined): boolean {
  const words = (query ?? '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= 3);
  if (words.length === 0) return true;
  const text = memory.text.toLowerCase();
  return words.some((word) => text.includes(word));
}
