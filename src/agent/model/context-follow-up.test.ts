import { describe, expect, it } from 'vitest';
import { applyFollowUp, contextFollowUpPlan, followUpIntent, latestReferencedItem } from './context-follow-up.ts';
import type { ToolCatalogEntry } from './tool-catalog.ts';

const TABLE = `Here are the salaries:

| name | salary | bonus |
| --- | --- | --- |
| Alice Chen | $185,000 | $20,000 |
| Bob Okafor | $95,000 | $60,000 |
| Carol Diaz | $160,000 | $8k |`;

const readTool: ToolCatalogEntry = { name: 'read_context_item', description: '', inputSchema: {} };

describe('follow-ups on an earlier result', () => {
  it('reads only requests that point back', () => {
    expect(followUpIntent('and sort that by bonus')).toEqual({ kind: 'sort', column: 'bonus', descending: undefined });
    expect(followUpIntent('sort by salary ascending')).toEqual({ kind: 'sort', column: 'salary', descending: false });
    expect(followUpIntent('show me the top 2 of those')).toEqual({ kind: 'top', count: 2 });
    expect(followUpIntent('show that again')).toEqual({ kind: 'repeat' });
    for (const fresh of ['hi', 'what are the salaries?', 'list deals sorted by amount', 'help']) {
      expect(followUpIntent(fresh)).toBeUndefined();
    }
  });

  it('sorts numbers as numbers (money, k suffixes) and says which way', () => {
    const sorted = applyFollowUp({ kind: 'sort', column: 'bonus', descending: undefined }, TABLE);
    expect(sorted).toMatch(/sorted by \*\*bonus\*\*, highest first/);
    const names = [...sorted.matchAll(/^\| ([A-Z][a-z]+) /gm)].map((match) => match[1]);
    expect(names).toEqual(['Bob', 'Alice', 'Carol']);
    expect(applyFollowUp({ kind: 'sort', column: 'name', descending: undefined }, TABLE)).toMatch(/A to Z/);
    expect(applyFollowUp({ kind: 'sort', column: 'height', descending: undefined }, TABLE)).toMatch(/no column like/);
    expect(applyFollowUp({ kind: 'top', count: 1 }, TABLE)).not.toContain('Bob');
  });

  it('reads the latest referenced item, or answers from public content already in context', () => {
    const history = [
      { role: 'assistant' as const, text: TABLE },
      { role: 'assistant' as const, text: '[context item msg_1: an earlier answer …] [context item msg_2: …]' },
    ];
    expect(latestReferencedItem(history)).toBe('msg_2');
    expect(contextFollowUpPlan('sort that by bonus', [readTool], history)).toEqual({
      kind: 'call',
      toolName: 'read_context_item',
      input: { id: 'msg_2' },
    });
    // A public table after the reference is what "that" means; no tool: no read, no label.
    const plan = contextFollowUpPlan('sort that by bonus', [readTool], [...history].reverse());
    expect(plan?.kind).toBe('answer');
    expect(contextFollowUpPlan('sort that by bonus', [readTool], [])).toBeUndefined();
    expect(contextFollowUpPlan('hi', [readTool], history)).toBeUndefined();
  });
});
