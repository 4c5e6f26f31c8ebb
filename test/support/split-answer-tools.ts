import type { LanguageModelV3 } from '@ai-sdk/provider';
import { z } from 'zod';
import { readConversation } from '../../src/agent/model/conversation.ts';
import { leakAnswer } from '../../src/bench/adversary/leak-answer.ts';
import { ToolDeniedError } from '../../src/tools/tool-errors.ts';
import type { ToolDefinition } from '../../src/tools/types.ts';
import { createScriptedModel } from './models/index.ts';

// Split-audience answers (issue 10 point 3): tools with known content and a leaking model, shared
// by the invariant, HTTP and browser tests. Sentinel values sit only in hr-confidential data.

/** A value only the hr-confidential tool returns; it must never reach a member not cleared for it. */
export const SENTINEL = 'SENTINEL-7f3a-only-for-hr';
export const SENTINEL_PAY = 987_654_321;
/** What the public tool returns. */
export const PUBLIC_FACT = 'The cafeteria opens at 08:30 on weekdays';

/** `secret_pay` (hr-confidential, from the `compensation` table), `cafeteria_hours` (public), two public failures. */
export function splitAnswerTools(): ToolDefinition[] {
  const tool = (name: string, execute: ToolDefinition['execute']): ToolDefinition => ({
    name,
    description: `Test tool ${name}.`,
    inputSchema: z.strictObject({}) as z.ZodType<unknown>,
    effect: 'read',
    audience: `behalf:tool:${name}`,
    scope: 'notes:read',
    execute,
  });
  return [
    tool('secret_pay', async (_input, context) => {
      context.willRead(['hr-confidential']);
      return {
        content: { rows: [{ name: SENTINEL, salary: SENTINEL_PAY }] },
        labels: ['hr-confidential'],
        labelSources: [{ label: 'hr-confidential', kind: 'table', source: 'compensation' }],
      };
    }),
    tool('cafeteria_hours', async () => ({ content: { hours: PUBLIC_FACT }, labels: ['public'] })),
    tool('refused_public', async (_input, context) => {
      context.willRead(['public']);
      throw new ToolDeniedError('refused after reading public data');
    }),
    tool('broken_public', async (_input, context) => {
      context.willRead(['public']);
      throw new Error('the public notes service is down');
    }),
  ];
}

/**
 * A scripted adversary: calls `tools` in its first step, then answers with everything it saw,
 * verbatim, addressed to everyone (the adversarial model's `leakAnswer`).
 */
export function leakingAfter(tools: readonly string[], victims: readonly string[] = ['bob', 'erin']): LanguageModelV3 {
  return createScriptedModel((prompt, step) =>
    step === 0 && readConversation(prompt).calls.length === 0
      ? tools.map((toolName) => ({ type: 'tool-call' as const, toolName, input: {} }))
      : [{ type: 'text', text: leakAnswer(readConversation(prompt), victims, true) }],
  );
}
