import type {
  LanguageModelV3GenerateResult,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';

/** One tool call a Behalf-built model decided to make. `input` is the JSON text the spec expects. */
export interface PlannedToolCall {
  toolCallId: string;
  toolName: string;
  input: string;
}

/**
 * What a Behalf-built model outputs in one step: answer text, tool calls, or both. The offline,
 * scripted and adversarial models all decide a `ModelTurn` and share this one translation into
 * the LanguageModelV3 spec, so generate and stream always agree.
 */
export interface ModelTurn {
  text: string;
  toolCalls: PlannedToolCall[];
}

/** The `doGenerate` result for a turn. */
export function toGenerateResult(turn: ModelTurn, prompt: LanguageModelV3Prompt): LanguageModelV3GenerateResult {
  return {
    content: [
      ...(turn.text ? [{ type: 'text' as const, text: turn.text }] : []),
      ...turn.toolCalls.map((call) => ({ type: 'tool-call' as const, ...call })),
    ],
    finishReason: finishReasonOf(turn),
    usage: estimateUsage(prompt, turn),
    warnings: [],
  };
}

/**
 * The `doStream` result for a turn: the answer in several text deltas (so answer-delta
 * forwarding can be observed), then each tool call as input-start/delta/end and the final call.
 */
export function toStreamResult(turn: ModelTurn, prompt: LanguageModelV3Prompt): LanguageModelV3StreamResult {
  const parts: LanguageModelV3StreamPart[] = [{ type: 'stream-start', warnings: [] }];
  if (turn.text) {
    parts.push({ type: 'text-start', id: 'text-0' });
    for (const delta of chunkText(turn.text)) parts.push({ type: 'text-delta', id: 'text-0', delta });
    parts.push({ type: 'text-end', id: 'text-0' });
  }
  for (const call of turn.toolCalls) {
    parts.push({ type: 'tool-input-start', id: call.toolCallId, toolName: call.toolName });
    for (const delta of chunkText(call.input)) parts.push({ type: 'tool-input-delta', id: call.toolCallId, delta });
    parts.push({ type: 'tool-input-end', id: call.toolCallId });
    parts.push({ type: 'tool-call', ...call });
  }
  parts.push({ type: 'finish', finishReason: finishReasonOf(turn), usage: estimateUsage(prompt, turn) });
  return {
    stream: new ReadableStream<LanguageModelV3StreamPart>({
      start(controller) {
        for (const part of parts) controller.enqueue(part);
        controller.close();
      },
    }),
  };
}

/** Splits text into pieces of a few words each; concatenating them gives back the text exactly. */
export function chunkText(text: string, wordsPerChunk = 3): string[] {
  const words = text.match(/\s*\S+\s*/g) ?? [text];
  const chunks: string[] = [];
  for (let index = 0; index < words.length; index += wordsPerChunk) {
    chunks.push(words.slice(index, index + wordsPerChunk).join(''));
  }
  // `\s*\S+\s*` can drop nothing but an all-whitespace text; keep it so deltas always rebuild the text.
  return chunks.join('') === text ? chunks : [text];
}

function finishReasonOf(turn: ModelTurn): LanguageModelV3GenerateResult['finishReason'] {
  return turn.toolCalls.length > 0 ? { unified: 'tool-calls', raw: 'tool-calls' } : { unified: 'stop', raw: 'stop' };
}

/** Token estimate of ~4 characters per token: good enough for budgets and benchmarks offline. */
export function estimateUsage(prompt: LanguageModelV3Prompt, turn: ModelTurn): LanguageModelV3Usage {
  const inputTokens = Math.ceil(JSON.stringify(prompt).length / 4);
  const outputText = turn.text.length + turn.toolCalls.reduce((sum, call) => sum + call.input.length, 0);
  const outputTokens = Math.ceil(outputText / 4);
  return {
    inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: outputTokens, text: outputTokens, reasoning: 0 },
  };
}
