import type { LanguageModelV3Prompt, LanguageModelV3ToolResultOutput } from '@ai-sdk/provider';
import { stripAgentMention } from './request-text.ts';
import { type ToolOutcome, toolOutcomeOf } from './tool-outcome.ts';

/** A tool call the model made after the request. */
export interface ObservedToolCall {
  toolCallId: string;
  toolName: string;
  input: unknown;
}

/** A tool result that came back after the request, paired with the call that asked for it. */
export interface ObservedToolResult {
  toolCallId: string;
  toolName: string;
  /** The call's input, or undefined when the prompt holds no matching call. */
  input: unknown;
  output: LanguageModelV3ToolResultOutput;
  outcome: ToolOutcome;
}

/**
 * The prompt read the way Behalf's own models read it. The turn loop replays the whole
 * conversation every step, so these models keep no state between steps: where they are in a
 * request is recovered from what follows the latest user message.
 */
export interface Conversation {
  /** The latest user message, without a leading `@agent` mention; empty when there is none. */
  request: string;
  /** Calls made since the request, in order. */
  calls: ObservedToolCall[];
  /** Results received since the request, in order. */
  results: ObservedToolResult[];
  /** Assistant messages since the request: how many model steps this request already took. */
  stepsSinceRequest: number;
  /** Text of every system, user and assistant message, in order (what a leaky model could repeat). */
  texts: string[];
  /** User and assistant messages before the request, oldest first: the thread as this run may see it. */
  history: Array<{ role: 'user' | 'assistant'; text: string }>;
  /**
   * The requester's user id as the instructions name it (`You act on behalf of Alice Chen (alice)`),
   * so "my deals" can mean theirs. Only ever narrows a query; the data source still decides.
   */
  requesterId: string | undefined;
}

/** Reads a LanguageModelV3 prompt. */
export function readConversation(prompt: LanguageModelV3Prompt): Conversation {
  const requestIndex = prompt.findLastIndex((message) => message.role === 'user');
  const texts: string[] = [];
  const history: Conversation['history'] = [];
  const calls: ObservedToolCall[] = [];
  const results: ObservedToolResult[] = [];
  let stepsSinceRequest = 0;
  const addResult = (toolCallId: string, toolName: string, output: LanguageModelV3ToolResultOutput) => {
    const call = calls.find((candidate) => candidate.toolCallId === toolCallId);
    results.push({ toolCallId, toolName, input: call?.input, output, outcome: toolOutcomeOf(output) });
  };

  prompt.forEach((message, index) => {
    const afterRequest = index > requestIndex;
    if (message.role === 'system') {
      texts.push(message.content);
      return;
    }
    if (message.role === 'assistant' && afterRequest) stepsSinceRequest++;
    for (const part of message.content) {
      if (part.type === 'text' && message.role !== 'tool') texts.push(part.text);
      if (part.type === 'text' && index < requestIndex && (message.role === 'user' || message.role === 'assistant'))
        history.push({ role: message.role, text: part.text });
      if (!afterRequest) continue;
      if (part.type === 'tool-call')
        calls.push({ toolCallId: part.toolCallId, toolName: part.toolName, input: part.input });
      if (part.type === 'tool-result') addResult(part.toolCallId, part.toolName, part.output);
    }
  });

  const requestMessage = prompt[requestIndex];
  const requestText =
    requestMessage?.role === 'user'
      ? requestMessage.content
          .map((part) => (part.type === 'text' ? part.text : ''))
          .join('\n')
          .trim()
      : '';
  const requesterId = /\(([\w.:@-]{1,64})\)(?: with their permissions| asked)/.exec(texts[0] ?? '')?.[1];
  return {
    request: stripAgentMention(requestText),
    calls,
    results,
    stepsSinceRequest,
    texts,
    history,
    requesterId,
  };
}
