import { describe, expect, it } from 'vitest';
import { headlineFor } from './headline.ts';

describe('the headline of a figure', () => {
  it('reads a count the source computed from its one row and names it after the column', () => {
    expect(headlineFor('how many projects are there?', ['projects'], [{ projects: 2 }], true)).toBe(
      'There are **2** projects.',
    );
    expect(headlineFor('how many project notes?', ['project_notes'], [{ project_notes: '1' }], true)).toBe(
      'There is **1** project note.',
    );
    expect(headlineFor('count the rows', ['count'], [{ count: '12345' }], true)).toBe('The count is **12,345**.');
  });

  it('counts rows when the result is rows, not a computed count', () => {
    expect(
      headlineFor(
        'how many open incidents?',
        ['id', 'severity'],
        [
          { id: 1, severity: 'high' },
          { id: 2, severity: 'low' },
        ],
        true,
      ),
    ).toBe('**2** incidents match.');
  });

  it('gives no figure when the request asks for none', () => {
    expect(headlineFor('show me the projects', ['projects'], [{ projects: 2 }], true)).toBeUndefined();
  });
});
