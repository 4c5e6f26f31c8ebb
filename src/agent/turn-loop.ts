import { jsonSchema, type LanguageModel, stepCountIs, streamText, type ToolSet, tool } from 'ai';
import { z } from 'zod';
import type { ToolDescriptor, ToolResultEnvelope } from '../tools/types.ts';
import type { AssembledContext } from './context-assembly.ts';

/** What one turn needs; every tool call goes through `callTool` (the gateway), bound to the run. */
export interface TurnInput {
  model: LanguageModel;
  context: AssembledContext;
  /** The tools offered to the model, without `execute`: every call goes through `callTool`. */
  tools: readonly ToolDescriptor[];
  callTool(name: string, args: unknown, toolCallId: string, signal: AbortSignal): Promise<ToolResultEnvelope>;
  /** Records a call the SDK could not route (unknown tool, unparsable input) so it is audited. */
  rejectUnparsed(name: string, toolCallId: string, rawInput: string, reason: string): Promise<void>;
  maxSteps: number;
  signal: AbortSignal;
  onDelta(text: string): void;
  onModelStep(index: number, finishReason: string): void;
}

export interface TurnResult {
  text: string;
  steps: number;
}

/**
 * One agent turn on the AI SDK's tool loop (streamText + stopWhen), the same for every
 * provider. The SDK's own argument validation is switched off (`validate` passes everything
 * through) so that every call, valid or not, reaches the gateway and is validated, decided and
 * audited there; calls the SDK cannot even parse are audited through `experimental_repairToolCall`.
 */
export async function runTurn(input: TurnInput): Promise<TurnResult> {
  // No prototype: the SDK looks tools up by name (`tools[toolName]`), and on a plain object a
  // model calling `constructor` or `__proto__` would find `Object`'s members, be taken for a
  // known tool without `execute`, skip the gateway and silently end the loop.
  const tools: ToolSet = Object.create(null);
  for (const definition of input.tools) {
    tools[definition.name] = tool({
      description: definition.description,
      inputSchema: jsonSchema<unknown>(z.toJSONSchema(definition.inputSchema, { io: 'input' }) as never, {
        validate: (value) => ({ success: true, value }),
      }),
      execute: (args: unknown, options) =>
        input.callTool(definition.name, args, options.toolCallId, options.abortSignal ?? input.signal),
    });
  }
  let modelSteps = 0;
  const result = streamText({
    model: input.model,
    system: input.context.instructions,
    messages: input.context.messages,
    tools,
    stopWhen: stepCountIs(input.maxSteps),
    abortSignal: input.signal,
    maxRetries: 1,
    experimental_repairToolCall: async ({ toolCall, error }) => {
      await input.rejectUnparsed(toolCall.toolName, toolCall.toolCallId, toolCall.input, error.message);
      return null;
    },
    onStepFinish: (step) => {
      input.onModelStep(modelSteps, step.finishReason);
      modelSteps += 1;
    },
  });
  let lastStepText = '';
  for await (const part of result.fullStream) {
    if (part.type === 'start-step') lastStepText = '';
    else if (part.type === 'text-delta') {
      lastStepText += part.text;
      input.onDelta(part.text);
    } else if (part.type === 'error') throw part.error instanceof Error ? part.error : new Error(String(part.error));
    else if (part.type === 'abort') throw new Error('The run was cancelled');
  }
  return { text: lastStepText.trim(), steps: modelSteps };
}
