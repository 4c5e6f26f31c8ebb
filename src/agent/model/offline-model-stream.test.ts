import { generateText, stepCountIs, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { fakeExampleTools } from '../../../test/support/example-workspace.ts';
import { createOfflineModel } from './offline-model.ts';

async function stream(prompt: string) {
  const { tools, calls } = fakeExampleTools();
  const result = streamText({ model: createOfflineModel(), tools, prompt, stopWhen: stepCountIs(5) });
  const parts: { type: string; text?: string; toolName?: string }[] = [];
  for await (const part of result.fullStream) parts.push(part as (typeof parts)[number]);
  return { parts, calls, text: await result.text };
}

describe('offline model: streaming', () => {
  it('streams the answer in more than one text delta', async () => {
    const { parts, text } = await stream('@agent what are the EMEA deals?');
    const deltas = parts.filter((part) => part.type === 'text-delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((part) => part.text).join('')).toBe(text);
  });

  it('emits the tool call as stream parts and executes it', async () => {
    const { parts, calls } = await stream('@agent /search handbook');
    expect(parts.map((part) => part.type)).toEqual(
      expect.arrayContaining(['tool-input-start', 'tool-input-delta', 'tool-input-end', 'tool-call', 'tool-result']),
    );
    expect(parts.find((part) => part.type === 'tool-call')?.toolName).toBe('search_documents');
    expect(calls).toEqual([{ toolName: 'search_documents', input: { query: 'handbook' } }]);
  });

  it('streams the same answer generateText returns', async () => {
    const prompt = '@agent summarize the vendor FAQ';
    const generated = await generateText({
      model: createOfflineModel(),
      tools: fakeExampleTools().tools,
      prompt,
      stopWhen: stepCountIs(5),
    });
    const { text } = await stream(prompt);
    expect(text).toBe(generated.text);
  });
});
