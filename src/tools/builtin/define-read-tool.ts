import type { z } from 'zod';
import type { ToolContext, ToolDefinition, ToolOutput } from '../types.ts';

/**
 * A built-in read tool from what differs between them: its name (the grant audience is
 * `behalf:tool:<name>`), description, strict input schema, grant scope and execution.
 */
export function defineReadTool<Input>(spec: {
  name: string;
  description: string;
  input: z.ZodType<Input>;
  scope: string;
  execute(input: Input, context: ToolContext, audience: string): Promise<ToolOutput>;
}): ToolDefinition<Input> {
  const audience = `behalf:tool:${spec.name}`;
  return {
    name: spec.name,
    description: spec.description,
    inputSchema: spec.input,
    effect: 'read',
    audience,
    scope: spec.scope,
    execute: (input, context) => spec.execute(input, context, audience),
  };
}
