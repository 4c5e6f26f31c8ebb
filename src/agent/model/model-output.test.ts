import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { chunkText, toStreamResult } from './model-output.ts';

describe('model output', () => {
  it('chunks text into pieces that rebuild it exactly', () => {
    for (const text of ['one', 'a b c d e f g', '  leading and trailing  ', 'line\n\nbreaks | and\ttabs', '   ']) {
      expect(chunkText(text).join('')).toBe(text);
    }
    expect(chunkText('one two three four five six seven').length).toBeGreaterThan(1);
  });

  it('ends every stream with a finish part carrying the finish reason', async () => {
    const { stream } = toStreamResult(
      { text: '', toolCalls: [{ toolCallId: 'c1', toolName: 'sql', input: '{"query":"SELECT 1"}' }] },
      [],
    );
    const parts: LanguageModelV3StreamPart[] = [];
    const reader = stream.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(next.value);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'tool-calls' } });
    expect(parts.filter((part) => part.type === 'tool-call')).toHaveLength(1);
  });
});
