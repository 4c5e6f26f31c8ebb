import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { DelegationGrant } from '../../../src/delegation/grant.ts';
import type { ToolContext } from '../../../src/tools/types.ts';
import { createScriptedModel } from '../../support/models/index.ts';
import type { Instrumentation } from './tools.ts';

/** A grant a test slips into a tool call in place of the gateway's, and the refusal it must meet. */
export interface GrantCase {
  name: string;
  grant: (context: ToolContext) => unknown;
  reason: RegExp;
}

/**
 * Sets the stage for the next run to present each case's grant in turn: the model (returned, to
 * route calls to) calls `sql` with `query` once per case, and each call executes with that case's
 * grant in place of the one the gateway minted. Undo with `tools.beforeExecute = undefined`.
 */
export function presentGrants(
  tools: Instrumentation,
  cases: readonly GrantCase[],
  query: string,
): () => LanguageModelV3 {
  let index = 0;
  tools.beforeExecute = (tool, context) =>
    tool === 'sql' ? { ...context, grant: cases[index++]?.grant(context) as DelegationGrant } : undefined;
  return () =>
    createScriptedModel((_prompt, step) =>
      step < cases.length
        ? [{ type: 'tool-call', toolName: 'sql', input: { query } }]
        : [{ type: 'text', text: 'done' }],
    );
}
