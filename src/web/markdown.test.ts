import { describe, expect, it } from 'vitest';
import { type Block, parseInline, parseMarkdown, splitRow } from './markdown.ts';

describe('parseMarkdown', () => {
  it('parses the offline model table with escaped pipes and backslashes', () => {
    const text = 'The query returned 2 rows:\n\n| id | note |\n| --- | --- |\n| 1 | a \\| b |\n| 2 | c\\\\d |';
    const blocks = parseMarkdown(text);
    expect(blocks[0]).toEqual({ type: 'paragraph', children: [{ type: 'text', text: 'The query returned 2 rows:' }] });
    const table = blocks[1] as Extract<Block, { type: 'table' }>;
    expect(table.type).toBe('table');
    expect(table.header).toEqual([[{ type: 'text', text: 'id' }], [{ type: 'text', text: 'note' }]]);
    expect(table.rows[0]?.[1]).toEqual([{ type: 'text', text: 'a | b' }]);
    expect(table.rows[1]?.[1]).toEqual([{ type: 'text', text: 'c\\d' }]);
  });

  it('keeps empty cells in place', () => {
    expect(splitRow('| a |  | c |')).toEqual(['a', '', 'c']);
    expect(splitRow('|  | b |')).toEqual(['', 'b']);
  });

  it('parses lists, headings, quotes and fenced code', () => {
    const blocks = parseMarkdown(
      '## Hits\n- **Handbook** (`doc-1`)\n- second\n\n1. one\n2. two\n\n> quoted *data*\n\n```json\n{"a": 1}\n```',
    );
    expect(blocks.map((block) => block.type)).toEqual(['heading', 'list', 'list', 'quote', 'code']);
    expect(blocks[1]).toEqual({
      type: 'list',
      ordered: false,
      items: [
        [
          { type: 'strong', children: [{ type: 'text', text: 'Handbook' }] },
          { type: 'text', text: ' (' },
          { type: 'code', text: 'doc-1' },
          { type: 'text', text: ')' },
        ],
        [{ type: 'text', text: 'second' }],
      ],
    });
    expect(blocks[4]).toEqual({ type: 'code', language: 'json', text: '{"a": 1}' });
  });

  it('leaves HTML as literal text', () => {
    const blocks = parseMarkdown('<img src=x onerror=alert(1)> **<b>hi</b>**');
    expect(blocks).toEqual([
      {
        type: 'paragraph',
        children: [
          { type: 'text', text: '<img src=x onerror=alert(1)> ' },
          { type: 'strong', children: [{ type: 'text', text: '<b>hi</b>' }] },
        ],
      },
    ]);
  });

  it('does not treat snake_case or lone stars as emphasis, and code content stays literal', () => {
    expect(parseInline('employee_id and salary_total')).toEqual([
      { type: 'text', text: 'employee_id and salary_total' },
    ]);
    expect(parseInline('2 * 3 * 4')).toEqual([{ type: 'text', text: '2 * 3 * 4' }]);
    expect(parseInline('`**not bold**`')).toEqual([{ type: 'code', text: '**not bold**' }]);
  });

  it('survives an unclosed fence', () => {
    expect(parseMarkdown('```\ncode')).toEqual([{ type: 'code', language: '', text: 'code' }]);
  });
});
