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

  it('reads a count per group as the total across the groups', () => {
    const perWard = [
      { ward: 3, patients: 2 },
      { ward: 4, patients: '1' },
    ];
    expect(headlineFor('how many patients per ward?', ['ward', 'patients'], perWard, true)).toBe(
      'There are **3** patients across **2** wards.',
    );
    expect(
      headlineFor('number of grades by class', ['class_id', 'grades'], [{ class_id: '8s', grades: 1 }], true),
    ).toBe('There is **1** grade across **1** class.');
    expect(
      headlineFor(
        'how many incidents by severity',
        ['severity', 'incidents'],
        [
          { severity: 'sev1', incidents: 2 },
          { severity: 'sev2', incidents: 5 },
        ],
        true,
      ),
    ).toBe('There are **7** incidents across **2** severities.');
    // Two columns that are rows, not counts per group: no such sentence.
    const ages = [
      { name: 'Ada', age: 36 },
      { name: 'Linus', age: 93 },
    ];
    expect(headlineFor('how many people?', ['name', 'age'], ages, true)).toBe('**2** rows match.');
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
