import { z } from 'zod';
import { type GrantChecker, requireGrant } from '../tools/grant-guard.ts';
import type { ToolDefinition } from '../tools/types.ts';

/** Busy-waits for `microseconds`: a tool whose cost is exact and independent of timers. */
export function spin(microseconds: number): void {
  const end = performance.now() + microseconds / 1000;
  while (performance.now() < end) {
    // burn CPU: the point is a precise, in-process cost
  }
}

/**
 * An in-process benchmark tool that works for a fixed time. With a grant checker it behaves like
 * a real tool (verifies its grant first); without one it is the no-authorization baseline.
 */
export function workTool(name: string, microseconds: number, grants?: GrantChecker): ToolDefinition {
  const audience = `behalf:tool:${name}`;
  return {
    name,
    description: `Benchmark tool: works for ${microseconds} µs`,
    inputSchema: z.strictObject({}),
    effect: 'read',
    audience,
    scope: 'bench',
    async execute(_input, context) {
      if (grants) requireGrant(grants, context, audience);
      spin(microseconds);
      return { content: { worked: microseconds }, labels: ['public'] };
    },
  };
}
