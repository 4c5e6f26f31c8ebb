import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3StreamPart } from '@ai-sdk/provider';

/** A tool call exactly as the model emitted it (before any validation by the engine). */
export interface EmittedToolCall {
  toolCallId: string;
  toolName: string;
  /** The arguments as sent: JSON text, or deliberately not JSON. */
  input: string;
  /**
   * What the engine returned to the model for this call (a JSON result's value, or its text),
   * as read back from the prompt of the run's next model step; absent when no step followed.
   */
  output?: unknown;
}

/** A model whose delegate the benchmark swaps per turn, recording every tool call it emits. */
export interface RecordingModel {
  readonly model: LanguageModelV3;
  /** The model the next calls go to (the adversary is built per requester). */
  use(delegate: LanguageModelV3): void;
  /** The calls emitted since the last `take`, with their results when seen, and forgets them. */
  take(): EmittedToolCall[];
  /**
   * Per model call made without tools since the last `take` (a split answer's shared step), the
   * ids of the tool results its prompt held: the inputs that part was built from, read from what
   * the model was actually given rather than from the engine's account of it.
   */
  toolLessInputs(): string[][];
}

/**
 * Wraps the model under test so the oracle learns what each run asked for from the model's own
 * output, not from the engine's trace (which keeps argument hashes only): the benchmark runs one
 * turn at a time, so every call emitted between two `take`s belongs to that turn's run.
 */
export function recordingModel(initial: LanguageModelV3): RecordingModel {
  let delegate = initial;
  let emitted: EmittedToolCall[] = [];
  let toolLess: string[][] = [];
  const outputs = new Map<string, unknown>();
  const readResults = (options: LanguageModelV3CallOptions) => {
    if (!options.tools || options.tools.length === 0) toolLess.push(resultIds(options));
    for (const message of options.prompt) {
      if (message.role !== 'tool') continue;
      for (const part of message.content) {
        if (part.type !== 'tool-result') continue;
        const output = part.output;
        outputs.set(part.toolCallId, 'value' in output ? output.value : undefined);
      }
    }
  };
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
      readResults(options);
      const result = await delegate.doGenerate(options);
      for (const part of result.content) record(part);
      return result;
    },
    async doStream(options) {
      readResults(options);
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
      const taken = emitted.map((call) =>
        outputs.has(call.toolCallId) ? { ...call, output: outputs.get(call.toolCallId) } : call,
      );
      emitted = [];
      toolLess = [];
      outputs.clear();
      return taken;
    },
    toolLessInputs() {
      return toolLess.map((ids) => [...ids]);
    },
  };
}

/** The ids of the tool results a prompt holds. */
function resultIds(options: LanguageModelV3CallOptions): string[] {
  return options.prompt.flatMap((message) =>
    message.role === 'tool'
      ? message.content.flatMap((part) => (part.type === 'tool-result' ? [part.toolCallId] : []))
      : [],
  );
}
