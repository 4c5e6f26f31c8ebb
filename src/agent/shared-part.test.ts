import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { MockLanguageModelV3 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import type { AnswerInput } from './answer-inputs.ts';
import { composeSharedPart, echoesWithheld } from './shared-part.ts';

const CLEARED: AnswerInput = {
  callId: 'run_1:call_1',
  toolCallId: 'call_1',
  tool: 'sql',
  args: { query: 'SELECT name FROM projects' },
  envelope: { ok: true, content: { rows: [{ name: 'Compiler' }] }, labels: ['internal'] },
  labels: ['internal'],
  at: 0,
} as unknown as AnswerInput;

/** A model of `provider` that records the one call it gets and answers "done". */
function recordingModel(provider: string) {
  const calls: LanguageModelV3CallOptions[] = [];
  const model = new MockLanguageModelV3({
    provider,
    doGenerate: async (options) => {
      calls.push(options);
      return {
        content: [{ type: 'text', text: 'done' }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: {
          inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
          outputTokens: { total: 1, text: 1, reasoning: 0 },
        },
        warnings: [],
      };
    },
  });
  return { model, calls };
}

async function compose(provider: string) {
  const { model, calls } = recordingModel(provider);
  const text = await composeSharedPart({
    model,
    agentName: 'Agent',
    requester: { name: 'Ada' },
    request: 'list the projects',
    cleared: [CLEARED],
    signal: new AbortController().signal,
  });
  expect(text).toBe('done');
  expect(calls).toHaveLength(1);
  return calls[0] as LanguageModelV3CallOptions;
}

describe('the shared step of a split answer', () => {
  it('offers the model no tools, and replays the cleared results as tool results', async () => {
    const call = await compose('openai.chat');
    expect(call.tools ?? []).toEqual([]);
    const results = call.prompt.flatMap((message) =>
      message.role === 'tool' ? message.content.filter((part) => part.type === 'tool-result') : [],
    );
    expect(results.map((part) => part.toolCallId)).toEqual(['call_1']);
  });

  it('gives the results as text to a provider that refuses tool blocks without tools (Anthropic)', async () => {
    const call = await compose('anthropic.messages');
    expect(call.tools ?? []).toEqual([]);
    expect(call.prompt.some((message) => message.role === 'tool' || message.role === 'assistant')).toBe(false);
    const text = JSON.stringify(call.prompt);
    expect(text).toContain('Compiler');
    expect(text).toContain('SELECT name FROM projects');
  });
});

describe('the echo check behind the shared step', () => {
  const WITHHELD = {
    ...CLEARED,
    callId: 'run_1:call_2',
    envelope: {
      ok: true,
      content: { columns: ['account', 'amount'], rows: [{ account: 'Vandelay Industries', amount: 310000 }] },
      labels: ['sales'],
    },
    labels: ['sales'],
  } as unknown as AnswerInput;

  it('drops a text that repeats a withheld value, a string or a figure', () => {
    expect(echoesWithheld('Compiler, and Vandelay Industries', [WITHHELD], [CLEARED], 'list')).toBe(true);
    expect(echoesWithheld('Compiler: 310000', [WITHHELD], [CLEARED], 'list')).toBe(true);
  });

  it('keeps a text whose words match only field names, cleared values or the request', () => {
    // "Account" is a column of the withheld result, not a value of it.
    expect(echoesWithheld('Compiler — Account executive', [WITHHELD], [CLEARED], 'list')).toBe(false);
    expect(
      echoesWithheld('Compiler and Vandelay Industries', [WITHHELD], [CLEARED], 'is Vandelay Industries a project?'),
    ).toBe(false);
  });
});
