import { describe, expect, it } from 'vitest';
import { renderTable, wrapText } from './text-table.ts';

describe('renderTable', () => {
  it('aligns text left and numbers right under a rule', () => {
    const table = renderTable(
      [{ header: 'Thread' }, { header: 'Lost', align: 'right' }],
      [
        ['Q3 planning', '3'],
        ['HR', '12'],
      ],
    );
    expect(table.split('\n')).toEqual([
      'Thread       Lost',
      '-----------  ----',
      'Q3 planning     3',
      'HR             12',
    ]);
  });
});

describe('wrapText', () => {
  it('wraps at the width with an indent', () => {
    expect(wrapText('one two three four', 11, '  ')).toBe('  one two\n  three\n  four');
  });
});
