import type { LanguageModelV3, LanguageModelV3StreamPart } from '@ai-sdk/provider';

/** A tool call exactly as the model emitted it (before any validation by the engine). */
export interface EmittedToolCall {
  toolCallId: string;
  toolName: string;
  /** The arguments as sent: JSON text, or deliberately not JSON. */
  input: string;
}

/** A model whose delegate the benchmark swaps per turn, recording every tool call it emits. */
export interface RecordingModel {
  readonly model: LanguageModelV3;
  /** The model the next calls go to (the adversary is built per requester). */
  use(delegate: LanguageModelV3): void;
  /** The calls emitted since the last `take`, and forgets them. */
  take(): EmittedToolCall[];
}

/**
 * Wraps the model under test so the oracle learns what each run asked for from the model's own
 * output, not from the engine's trace (which keeps argument hashes only): the benchmark runs one
 * turn at a time, so every call emitted between two `take`s belongs to that turn's run.
 */
export function recordingModel(initial: LanguageModelV3): RecordingModel {
  let delegate = initial;
  let emitted: EmittedToolCall[] = [];
  const record = (part: { type: string }) => {
    if (part.type !== 'tool-call') return;
    const call = part as Extract<LanguageModelV3StreamPart, { type: 'tool-call' }>;
    emitted.push({ toolCallId: call.toolCallId, toolName: call.toolName, input: call.input });
  };
  const model: LanguageModelV3 = {
    specificationVersion: 'v3',
    provider: 'behalf-bench',
    modelId: 'recording',
    get supportedUrls() {
      return delegate.supportedUrls;
    },
    async doGenerate(options) {
      const result = await delegate.doGenerate(options);
      for (const part of result.content) record(part);
      return result;
    },
    async doStream(options) {
      const result = await delegate.doStream(options);
      const stream = result.stream.pipeThrough(
        new TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart>({
          transform(part, controller) {
            record(part);
            controller.enqueue(part);
          },
        }),
      );
      return { ...result, stream };
    },
  };
  return {
    model,
    use(next) {
      delegate = next;
    },
    take() {
      const taken = emitted;
      emitted = [];
      return taken;
    },
  };
}
