import type { JSONValue, LanguageModelV3ToolResultOutput } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { composeAnswer } from './compose-answer.ts';
import type { ObservedToolResult } from './conversation.ts';
import { toolOutcomeOf } from './tool-outcome.ts';

function result(toolName: string, output: LanguageModelV3ToolResultOutput): ObservedToolResult {
  return { toolCallId: 'c1', toolName, input: {}, output, outcome: toolOutcomeOf(output) };
}

function sqlResult(rows: Record<string, JSONValue>[], extra: Record<string, JSONValue> = {}) {
  const content = { columns: Object.keys(rows[0] ?? {}), rows, rowCount: rows.length, truncated: false, ...extra };
  return result('sql', { type: 'json', value: { ok: true, content, labels: ['public'] } });
}

describe('composeAnswer', () => {
  it('caps tables at 50 rows and says so', () => {
    const rows = Array.from({ length: 120 }, (_, index) => ({ n: index }));
    const text = composeAnswer('', [sqlResult(rows)]);
    expect(text).toContain('The query returned 120 rows:');
    expect(text).toContain('| 49 |');
    expect(text).not.toContain('| 50 |');
    expect(text).toContain('Showing the first 50 of 120 rows.');
  });

  it('says when the data source truncated the result', () => {
    const text = composeAnswer('', [sqlResult([{ n: 1 }], { truncated: true })]);
    expect(text).toContain('truncated by the data source');
  });

  it("names the source's row-level security rules as applying, never as having withheld rows (issue 11.7)", () => {
    const rowSecurity = [
      { table: 'compensation', policy: 'compensation_visibility', rule: 'hr and finance see every row' },
    ];
    const text = composeAnswer('', [sqlResult([{ name: 'Carol Diaz', salary: 205000 }], { rowSecurity })]);
    expect(text).toContain('**Carol Diaz** is paid a salary of **$205,000**.');
    expect(text).toContain(
      "The data source's row-level security applies to `compensation` (policy `compensation_visibility`: hr and finance see every row). You see only the rows it allows you.",
    );
    expect(text).not.toMatch(/withheld/);
    const none = composeAnswer('', [sqlResult([], { rowSecurity })]);
    expect(none).toMatch(/^The query returned no rows .* applies to `compensation` \(policy `compensation_visibility`/);
    expect(composeAnswer('', [sqlResult([{ n: 1 }])])).not.toContain('row-level security');
  });

  it('keeps cell values inside their cells', () => {
    const text = composeAnswer('', [sqlResult([{ note: 'a | b\n| c |' }])]);
    expect(text).toContain('| a \\| b \\| c \\| |');
  });

  it('names every policy of a denial', () => {
    const denial = result('get_document', {
      type: 'json',
      value: { ok: false, error: { code: 'denied', message: 'not cleared', policies: ['doc-acl', 'label-clearance'] } },
    });
    expect(composeAnswer('', [denial])).toBe(
      'Access denied: your request to use `get_document` was refused by policies `doc-acl`, `label-clearance`. Reason: not cleared',
    );
  });

  it('a denial no policy decided (the tool refused) names none', () => {
    const denial = result('sql', {
      type: 'json',
      value: { ok: false, error: { code: 'denied', message: 'SET ROLE is not allowed', policies: [] } },
    });
    expect(composeAnswer('', [denial])).toBe(
      'Access denied: your request to use `sql` was refused. Reason: SET ROLE is not allowed',
    );
  });

  it('reads SDK-level errors and declined approvals', () => {
    expect(composeAnswer('', [result('sql', { type: 'error-text', value: 'Invalid input for tool sql' })])).toBe(
      'The `sql` call failed: Invalid input for tool sql',
    );
    expect(composeAnswer('', [result('create_ticket', { type: 'execution-denied' })])).toMatch(
      /^The `create_ticket` call was not approved/,
    );
  });

  it('reads envelopes sent as text', () => {
    const envelope = { ok: true, content: { hits: [] }, labels: [] };
    expect(composeAnswer('', [result('search_documents', { type: 'text', value: JSON.stringify(envelope) })])).toMatch(
      /No documents matched/,
    );
  });

  it('shows content of unknown shape as capped JSON', () => {
    const text = composeAnswer('', [
      result('weather', { type: 'json', value: { ok: true, content: { temp: 21 }, labels: [] } }),
    ]);
    expect(text).toContain('"temp": 21');
  });
});
