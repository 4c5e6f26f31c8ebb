import { generateText, stepCountIs, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { createScriptedModel } from '../support/models/scripted-model.ts';
import { fakeAcmeTools } from '../support/models/test-tools.ts';

describe('scripted model', () => {
  it('plays its script step by step through the tool loop', async () => {
    const { tools, calls } = fakeAcmeTools();
    const model = createScriptedModel((_prompt, step) =>
      step === 0
        ? [
            { type: 'tool-call', toolName: 'sql', input: { query: 'SELECT 1' } },
            { type: 'tool-call', toolName: 'get_document', input: { id: 'doc-handbook' } },
          ]
        : [{ type: 'text', text: `done after ${step} step` }],
    );
    const result = await generateText({ model, tools, prompt: 'go', stopWhen: stepCountIs(5) });
    expect(calls.map((call) => call.toolName)).toEqual(['sql', 'get_document']);
    expect(result.text).toBe('done after 1 step');
    expect(model.calls).toHaveLength(2);
  });

  it('sends raw input and chosen call ids as given', async () => {
    const { tools, calls } = fakeAcmeTools();
    const model = createScriptedModel((_prompt, step) =>
      step === 0 ? [{ type: 'tool-call', toolName: 'sql', rawInput: 'not json {', toolCallId: 'mine' }] : [],
    );
    const result = await generateText({ model, tools, prompt: 'go', stopWhen: stepCountIs(5) });
    expect(calls).toEqual([]);
    expect(result.steps[0]?.content).toContainEqual(
      expect.objectContaining({ type: 'tool-error', toolCallId: 'mine' }),
    );
  });

  it('gives fresh call ids that differ between runs of one model', async () => {
    const model = createScriptedModel((_prompt, step) =>
      step === 0 ? [{ type: 'tool-call', toolName: 'sql', input: { query: 'SELECT 1' } }] : [],
    );
    const ids = [];
    for (let run = 0; run < 2; run++) {
      const result = await generateText({
        model,
        tools: fakeAcmeTools().tools,
        prompt: 'go',
        stopWhen: stepCountIs(5),
      });
      ids.push(result.steps[0]?.toolCalls[0]?.toolCallId);
    }
    expect(new Set(ids).size).toBe(2);
  });

  it('streams text in several deltas', async () => {
    const model = createScriptedModel(() => [{ type: 'text', text: 'one two three four five six seven eight' }]);
    const result = streamText({ model, prompt: 'go' });
    let deltas = 0;
    for await (const part of result.fullStream) if (part.type === 'text-delta') deltas++;
    expect(deltas).toBeGreaterThan(1);
  });
});
