import { describe, expect, it } from 'vitest';
import { describeMemoryResult, memoryPlan } from './memory-requests.ts';
import { routeRequest } from './routing.ts';
import type { ToolCatalogEntry } from './tool-catalog.ts';

const tool = (name: string, property: string, required: string[]): ToolCatalogEntry => ({
  name,
  description: name,
  inputSchema: { type: 'object', properties: { [property]: { type: 'string' } }, required },
});
const CATALOG = [
  tool('sql', 'query', ['query']),
  tool('search_documents', 'query', ['query']),
  tool('remember', 'text', ['text']),
  tool('recall', 'query', []),
];

describe('offline model: memory requests (issue 10)', () => {
  it.each([
    ['remember that the launch moved to May', 'the launch moved to May'],
    ['Note that salary reviews happen in March', 'salary reviews happen in March'],
    ['please remember: standup is at 10', 'standup is at 10'],
    ['keep in mind that bob is on leave', 'bob is on leave'],
  ])('"%s" calls remember with the fact, before the data vocabulary', (request, text) => {
    expect(routeRequest(request, CATALOG)).toEqual({ kind: 'call', toolName: 'remember', input: { text } });
  });

  it.each([
    ['what do you remember about the launch?', { query: 'the launch' }],
    ['recall salary reviews', { query: 'salary reviews' }],
    ['what do you remember?', {}],
    ['recall everything', {}],
  ])('"%s" calls recall', (request, input) => {
    expect(routeRequest(request, CATALOG)).toEqual({ kind: 'call', toolName: 'recall', input });
  });

  it('leaves other requests alone, and says so when the memory tools are not offered', () => {
    expect(memoryPlan('what are the salaries?')).toBeUndefined();
    expect(memoryPlan('a note on the board deck')).toBeUndefined();
    const plan = routeRequest('remember that x', CATALOG.slice(0, 2));
    expect(plan.kind === 'answer' && plan.text).toMatch(/`remember` tool .* not available/);
  });

  it('describes what was recalled, and nothing recalled', () => {
    const ok = (content: unknown) => ({ kind: 'ok' as const, content, labels: [], truncated: false });
    expect(
      describeMemoryResult('recall', ok({ memories: [{ text: 'the launch moved', rememberedFor: 'alice' }] })),
    ).toBe('Here is what I remember in this thread:\n- the launch moved (remembered for alice)');
    expect(describeMemoryResult('recall', ok({ memories: [] }))).toMatch(/nothing remembered/);
    expect(describeMemoryResult('remember', ok({ remembered: 'mem_1' }))).toMatch(/^Noted/);
    expect(describeMemoryResult('sql', ok({ rows: [] }))).toBeUndefined();
  });
});
