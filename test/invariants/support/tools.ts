import { z } from 'zod';
import type { JsonSchema, ToolCatalogEntry } from '../../../src/agent/model/index.ts';
import { sqlAttacks } from '../../../src/bench/adversary/sql-attacks.ts';
import type { GrantClaims } from '../../../src/delegation/types.ts';
import { requireGrant } from '../../../src/tools/grant-guard.ts';
import type { ActingPrincipal, ToolContext, ToolDefinition, ToolOutput } from '../../../src/tools/types.ts';
import type { InvariantApp } from './stores.ts';

// Instrumentation of the tools a real app runs (what each tool received and returned).

/** One execution of a tool, as the tool itself saw it (after the gateway let it through). */
export interface Execution {
  tool: string;
  runId: string;
  threadId: string;
  callId: string;
  principal: ActingPrincipal;
  /** Claims of the grant the tool received (undefined when it was not an object with claims). */
  claims: Readonly<GrantClaims> | undefined;
  /** Whether the grant is one the app's authority minted (checked before the tool ran). */
  genuine: boolean;
  /** The grant object itself, for tests that try to reuse it elsewhere. */
  grant: unknown;
  /** The app clock when the tool started. */
  at: number;
  input: unknown;
  output?: ToolOutput;
  error?: string;
}

/** Recorded tool executions plus a hook to tamper with the context a tool receives. */
export interface Instrumentation {
  executions: Execution[];
  /** Runs before each execution: return a replacement context to simulate a stolen or forged grant. */
  beforeExecute?: (tool: string, context: ToolContext) => ToolContext | undefined;
}

/**
 * The statements the adversary sends to make the data source slow (`pg_sleep`, huge series...).
 * The source's statement timeout and hardening are proven in `src/sources/hardening.test.ts`;
 * here they would cost ~5 s each (PGlite serializes queries), so the instrumented `sql` tool
 * answers them at once with the same failure a timeout gives. Nothing else is stubbed.
 */
const SLOW_QUERIES = new Set(
  sqlAttacks('query', { users: [] })
    .filter((attack) => attack.category === 'denial-of-service')
    .map((attack) => (attack.input as { query: string }).query),
);

/**
 * Wraps every registered tool's `execute` (the objects the gateway calls) to record what each
 * tool received and returned. Call after `createTestApp`, before any run.
 */
export function instrumentTools(app: InvariantApp): Instrumentation {
  const instrumentation: Instrumentation = { executions: [] };
  for (const tool of app.registry.list()) {
    const original = tool.execute.bind(tool);
    (tool as ToolDefinition).execute = async (input, given) => {
      const context = instrumentation.beforeExecute?.(tool.name, given) ?? given;
      const grant = context.grant as unknown;
      const claims =
        typeof grant === 'object' && grant !== null && 'claims' in grant
          ? (grant as { claims: Readonly<GrantClaims> }).claims
          : undefined;
      const execution: Execution = {
        tool: tool.name,
        runId: context.runId,
        threadId: context.threadId,
        callId: context.callId,
        // What the tool acts as: read from the grant, the one identity channel of a tool call.
        principal: {
          id: claims?.sub ?? '',
          groups: [...((grant as { subjectGroups?: readonly string[] } | undefined)?.subjectGroups ?? [])],
          mode: claims?.mode === 'self' ? 'self' : 'user',
          requester: claims?.requester ?? claims?.sub ?? '',
        },
        claims,
        genuine: app.grants.isGenuine(grant),
        grant,
        at: app.clock.now(),
        input,
      };
      instrumentation.executions.push(execution);
      try {
        if (tool.name === 'sql' && SLOW_QUERIES.has((input as { query?: string }).query ?? '')) {
          requireGrant(app.grants, context, tool.audience);
          throw new Error('the query exceeded the 5000 ms time limit');
        }
        execution.output = await original(input, context);
        return execution.output;
      } catch (error) {
        execution.error = error instanceof Error ? error.message : String(error);
        throw error;
      }
    };
  }
  return instrumentation;
}

/**
 * A read tool that records who it runs for: the spy of I1/I2. It checks its grant like every
 * in-process tool (`requireGrant`) and returns the identity it acts as.
 */
export function spyTool(grants: () => InvariantApp['grants']): ToolDefinition {
  const audience = 'behalf:tool:whoami';
  return {
    name: 'whoami',
    description: 'Tells who the agent is acting for.',
    inputSchema: z.strictObject({ note: z.string().max(200).optional() }) as z.ZodType<unknown>,
    effect: 'read',
    audience,
    scope: 'identity:read',
    async execute(_input, context) {
      const { subject, principal } = requireGrant(grants(), context, audience);
      return { content: { actingFor: subject, groups: principal.groups }, labels: ['public'] };
    },
  };
}

/** The tool catalog the model is offered, as the turn loop builds it. */
export function catalogOf(app: InvariantApp): ToolCatalogEntry[] {
  return app.registry.list().map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: z.toJSONSchema(tool.inputSchema, { io: 'input' }) as JsonSchema,
  }));
}
