import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createScriptedModel } from '../../test/support/models/scripted-model.ts';
import type { ToolDefinition, ToolResultEnvelope } from '../tools/types.ts';
import { runTurn } from './turn-loop.ts';

const echo: ToolDefinition = {
  name: 'echo',
  description: 'Echoes its input.',
  inputSchema: z.object({ text: z.string() }).strict(),
  effect: 'read',
  audience: 'urn:test:echo',
  scope: 'echo',
  execute: async () => {
    throw new Error('runTurn never executes a tool itself; the gateway does');
  },
};

async function turnWith(toolNames: string[]) {
  const routed: string[] = [];
  const rejected: { name: string; reason: string }[] = [];
  const model = createScriptedModel((_prompt, step) =>
    step === 0
      ? toolNames.map((toolName) => ({ type: 'tool-call' as const, toolName, input: { text: 'hi' } }))
      : [{ type: 'text', text: 'done' }],
  );
  const result = await runTurn({
    model,
    context: {
      instructions: 'test',
      messages: [{ role: 'user', content: 'go' }],
      labels: [],
      included: 1,
      withheld: 0,
      referenced: 0,
    },
    tools: [echo],
    callTool: async (name): Promise<ToolResultEnvelope> => {
      routed.push(name);
      return { ok: true, content: 'hi', labels: ['public'] };
    },
    rejectUnparsed: async (name, _toolCallId, _rawInput, reason) => {
      rejected.push({ name, reason });
    },
    maxSteps: 5,
    signal: new AbortController().signal,
    onDelta: () => {},
    onModelStep: () => {},
  });
  return { result, routed, rejected };
}

describe('runTurn', () => {
  it('routes a known tool through callTool and ends with the answer', async () => {
    const { result, routed, rejected } = await turnWith(['echo']);
    expect(routed).toEqual(['echo']);
    expect(rejected).toEqual([]);
    expect(result).toEqual({ text: 'done', steps: 2 });
  });

  // Regression (issue 11, AI SDK 6): the SDK looks tools up with `tools[name]`, so on a plain
  // object `constructor` resolved to `Object`, passed as a known tool, skipped the gateway and
  // ended the loop without an answer.
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'audits a call to %s as an unknown tool and keeps the loop going',
    async (toolName) => {
      const { result, routed, rejected } = await turnWith([toolName, 'echo']);
      expect(rejected).toEqual([{ name: toolName, reason: expect.stringContaining(toolName) }]);
      expect(routed).toEqual(['echo']);
      expect(result).toEqual({ text: 'done', steps: 2 });
    },
  );
});
