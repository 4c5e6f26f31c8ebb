import { randomUUID } from 'node:crypto';
import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3Prompt } from '@ai-sdk/provider';
import { readConversation } from '../../../src/agent/model/conversation.ts';
import { type ModelTurn, toGenerateResult, toStreamResult } from '../../../src/agent/model/model-output.ts';

/** One thing a scripted model says in a step. */
export type ScriptedPart =
  | { type: 'text'; text: string }
  | {
      type: 'tool-call';
      toolName: string;
      /** Arguments; sent as `JSON.stringify(input)` unless `rawInput` is given. */
      input?: unknown;
      /** Exact argument text, for deliberately malformed calls (`'not json {'`). */
      rawInput?: string;
      /** Defaults to a fresh unique id; set it to replay or collide ids on purpose. */
      toolCallId?: string;
    };

/**
 * A script: what the model outputs in step `stepIndex` of the current request, where the step
 * index counts the assistant messages after the latest user message (0 for the first step, and
 * it survives an approval pause because it is read from the prompt). Receives the whole call
 * options too, e.g. to read the offered tools.
 */
export type ModelScript = (
  prompt: LanguageModelV3Prompt,
  stepIndex: number,
  options: LanguageModelV3CallOptions,
) => ScriptedPart[] | Promise<ScriptedPart[]>;

/** A scripted model: a LanguageModelV3 plus the call options it received, for assertions. */
export interface ScriptedModel extends LanguageModelV3 {
  readonly calls: LanguageModelV3CallOptions[];
}

/** A LanguageModelV3 driven by `script`, for tests that need exact control of model output. */
export function createScriptedModel(script: ModelScript, options: { modelId?: string } = {}): ScriptedModel {
  const calls: LanguageModelV3CallOptions[] = [];
  // Tool call ids must not repeat across runs sharing one model: gateways refuse a seen call id.
  const instance = randomUUID().slice(0, 8);
  let counter = 0;
  const decide = async (callOptions: LanguageModelV3CallOptions): Promise<ModelTurn> => {
    calls.push(callOptions);
    const stepIndex = readConversation(callOptions.prompt).stepsSinceRequest;
    const parts = await script(callOptions.prompt, stepIndex, callOptions);
    return {
      text: parts.map((part) => (part.type === 'text' ? part.text : '')).join(''),
      toolCalls: parts.flatMap((part) =>
        part.type === 'tool-call'
          ? [
              {
                toolCallId: part.toolCallId ?? `scripted_${instance}_${++counter}`,
                toolName: part.toolName,
                input: part.rawInput ?? JSON.stringify(part.input ?? {}),
              },
            ]
          : [],
      ),
    };
  };
  return {
    specificationVersion: 'v3',
    provider: 'behalf',
    modelId: options.modelId ?? 'scripted',
    supportedUrls: {},
    calls,
    doGenerate: async (callOptions) => toGenerateResult(await decide(callOptions), callOptions.prompt),
    doStream: async (callOptions) => toStreamResult(await decide(callOptions), callOptions.prompt),
  };
}
