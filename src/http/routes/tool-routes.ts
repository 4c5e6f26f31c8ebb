import { Hono } from 'hono';
import { z } from 'zod';
import type { App } from '../../app/create-app.ts';
import type { ToolsResponse, ToolWire } from '../../protocol/wire.ts';
import type { ToolDefinition } from '../../tools/types.ts';
import { currentAuth } from '../middleware/authenticate.ts';
import { readQuery } from '../request-validation.ts';
import type { RouteContext } from '../route-context.ts';
import type { HttpEnv } from '../types.ts';

const NoQuery = z.strictObject({});

/**
 * `GET /api/tools`: the tools the caller could ask the agent to use (policy `useTool` through the
 * agent), each with its JSON Schema and whether a call waits for the caller's approval (policy
 * `useToolUnattended`). Decisions are the caller's, taken now.
 */
export function toolRoutes(context: RouteContext): Hono<HttpEnv> {
  const router = new Hono<HttpEnv>();
  const { app } = context;
  const schemas = new WeakMap<ToolDefinition, unknown>();

  router.get('/tools', async (c) => {
    const { user } = currentAuth(c);
    readQuery(c, NoQuery);
    const tools = app.registry.list();
    const [usable, unattended] = await Promise.all([
      decide(app, user.id, 'useTool', tools),
      decide(app, user.id, 'useToolUnattended', tools),
    ]);
    const response: ToolsResponse = {
      tools: tools
        .filter((_, index) => usable[index])
        .map((tool): ToolWire => {
          const index = tools.indexOf(tool);
          return {
            name: tool.name,
            description: tool.description,
            inputSchema: jsonSchemaOf(tool, schemas),
            effect: tool.effect,
            needsApproval: !unattended[index],
          };
        }),
    };
    return c.json(response);
  });

  return router;
}

async function decide(
  app: App,
  userId: string,
  action: 'useTool' | 'useToolUnattended',
  tools: readonly ToolDefinition[],
): Promise<boolean[]> {
  const decisions = await app.policy.authorizeMany(
    tools.map((tool) => ({
      principal: { type: 'User', id: userId },
      action,
      resource: { type: 'Tool', id: tool.name },
      context: { viaAgent: true },
    })),
  );
  return decisions.map((decision) => decision.effect === 'allow');
}

/** The tool's argument schema as JSON Schema, computed once per tool. */
function jsonSchemaOf(tool: ToolDefinition, cache: WeakMap<ToolDefinition, unknown>): unknown {
  if (!cache.has(tool)) {
    let schema: unknown;
    try {
      schema = z.toJSONSchema(tool.inputSchema, { unrepresentable: 'any' });
    } catch {
      // A schema with no JSON Schema form (a custom refinement) is described as "any object".
      schema = { type: 'object' };
    }
    cache.set(tool, schema);
  }
  return cache.get(tool);
}
