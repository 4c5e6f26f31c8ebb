import type { LanguageModelV3ToolResultOutput } from '@ai-sdk/provider';

/**
 * A tool result as a Behalf-built model understands it: the gateway's `ToolResultEnvelope`
 * (`src/tools/types.ts`) when the output is one, and otherwise the closest equivalent, so
 * SDK-level failures (unknown tool, invalid input, a declined approval) read like gateway errors.
 */
export type ToolOutcome =
  | { kind: 'ok'; content: unknown; labels: string[]; truncated: boolean }
  | { kind: 'error'; code: string; message: string; policies: string[] };

/** Normalizes one tool-result output of the prompt. */
export function toolOutcomeOf(output: LanguageModelV3ToolResultOutput): ToolOutcome {
  switch (output.type) {
    case 'json':
      return fromValue(output.value);
    case 'text':
      return fromValue(parseJsonOr(output.value));
    case 'error-text':
      return { kind: 'error', code: 'failed', message: output.value, policies: [] };
    case 'error-json': {
      const outcome = fromValue(output.value);
      return outcome.kind === 'error'
        ? outcome
        : { kind: 'error', code: 'failed', message: JSON.stringify(output.value), policies: [] };
    }
    case 'execution-denied':
      return {
        kind: 'error',
        code: 'approval_denied',
        message: output.reason ?? 'The requester did not approve this call.',
        policies: [],
      };
    case 'content': {
      const text = output.value.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
      return fromValue(parseJsonOr(text));
    }
  }
}

function fromValue(value: unknown): ToolOutcome {
  if (isRecord(value) && value.ok === true) {
    return {
      kind: 'ok',
      content: value.content,
      labels: stringsOf(value.labels),
      truncated: value.truncated === true,
    };
  }
  if (isRecord(value) && value.ok === false && isRecord(value.error)) {
    const error = value.error;
    return {
      kind: 'error',
      code: typeof error.code === 'string' ? error.code : 'failed',
      message: typeof error.message === 'string' ? error.message : 'The tool reported an error.',
      policies: stringsOf(error.policies),
    };
  }
  // Not an envelope (a tool outside the gateway): the whole value is the content.
  return { kind: 'ok', content: value, labels: [], truncated: false };
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** True for a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
