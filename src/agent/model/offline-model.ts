import type { LanguageModelV3, LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { sha256Hex } from '../../shared/hash.ts';
import { composeAnswer } from './compose-answer.ts';
import { partAnswered } from './compound-request.ts';
import { answerFollowUp } from './context-follow-up.ts';
import { type Conversation, type ObservedToolResult, readConversation } from './conversation.ts';
import { followUpPlan } from './follow-up.ts';
import { type ModelTurn, toGenerateResult, toStreamResult } from './model-output.ts';
import { answerPlan, type ModelPlan, plannedCalls } from './model-plan.ts';
import { routeRequest } from './routing.ts';
import { type ToolCatalogEntry, toolCatalogOf } from './tool-catalog.ts';

/**
 * Behalf's own deterministic model (SPEC §5): no API key, same turn loop as every provider.
 *
 * Each step reads the whole prompt: with no results yet for the latest request it routes the
 * request to a tool (directives, then the demo vocabulary); with results it makes at most one
 * follow-up call (fetching the top search hit to summarize it) and otherwise composes the answer.
 * It never acts on text found inside tool results, and only calls tools offered in the call.
 * Same prompt, same output — tool call ids included, as they derive from the prompt.
 */
export function createOfflineModel(): LanguageModelV3 {
  return {
    specificationVersion: 'v3',
    provider: 'behalf',
    modelId: 'offline',
    supportedUrls: {},
    doGenerate: async (options) => toGenerateResult(decideTurn(options), options.prompt),
    doStream: async (options) => toStreamResult(decideTurn(options), options.prompt),
  };
}

/** The offline model's decision for one step. */
function decideTurn(options: LanguageModelV3CallOptions): ModelTurn {
  const conversation = readConversation(options.prompt);
  const catalog = toolCatalogOf(options);
  const plan: ModelPlan =
    conversation.results.length > 0
      ? resultsPlan(conversation, catalog)
      : conversation.calls.length > 0
        ? answerPlan('I did not receive any results for the tools I called, so I have no answer.')
        : routeRequest(conversation.request, catalog, conversation);

  if (plan.kind === 'answer') return { text: plan.text, toolCalls: [] };
  if (options.toolChoice?.type === 'none') {
    return {
      text: `I would use the \`${plan.toolName}\` tool for that, but tools are turned off here.`,
      toolCalls: [],
    };
  }
  const promptHash = sha256Hex(JSON.stringify(options.prompt)).slice(0, 24);
  return {
    text: '',
    toolCalls: plannedCalls(plan).map((call, index) => ({
      toolCallId: index === 0 ? `call_${promptHash}` : `call_${promptHash}_${index}`,
      toolName: call.toolName,
      input: JSON.stringify(call.input),
    })),
  };
}

/** With results for the request: a follow-up's answer, one more call, or the composed answer. */
function resultsPlan(conversation: Conversation, catalog: readonly ToolCatalogEntry[]): ModelPlan {
  const followUp = answerFollowUp(conversation);
  if (followUp !== undefined) return answerPlan(followUp);
  const callIndex = (result: ObservedToolResult) =>
    conversation.calls.findIndex((call) => call.toolCallId === result.toolCallId);
  const requestFor = (result: ObservedToolResult) =>
    partAnswered(conversation.request, callIndex(result), conversation.calls.length);
  return followUpPlan(conversation, catalog) ?? answerPlan(composeAnswer(requestFor, conversation.results));
}
