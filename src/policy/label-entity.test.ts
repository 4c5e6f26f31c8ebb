import { describe, expect, it } from 'vitest';
import { labelEntityFor, labelFacts } from './label-entity.ts';

describe('labelFacts', () => {
  it.each([
    ['public', { kind: 'public' }],
    ['hr-confidential', { kind: 'hr-confidential' }],
    ['exec-confidential', { kind: 'exec-confidential' }],
    ['engineering-internal', { kind: 'engineering-internal' }],
    ['sales-pipeline:emea', { kind: 'sales-pipeline', regionGroup: 'sales-emea' }],
    ['sales-pipeline:apac', { kind: 'sales-pipeline', regionGroup: 'sales-apac' }],
    ['sales-pipeline:latam', { kind: 'sales-pipeline', regionGroup: 'sales-latam' }],
  ])('%s', (label, facts) => {
    expect(labelFacts(label)).toEqual(facts);
  });

  it.each([
    '',
    'secret',
    'Public',
    'public ',
    'sales-pipeline',
    'sales-pipeline:',
    'sales-pipeline:EMEA',
    'sales-pipeline:../hr',
    'sales-pipeline:emea:x',
    'hr-confidential:emea',
    ':emea',
  ])('an unrecognised label %j is unknown (fails closed)', (label) => {
    expect(labelFacts(label)).toEqual({ kind: 'unknown' });
  });
});

describe('labelEntityFor', () => {
  it('builds the Cedar entity with the region group as an entity reference', () => {
    expect(labelEntityFor('sales-pipeline:emea')).toEqual({
      uid: { type: 'Label', id: 'sales-pipeline:emea' },
      attrs: { kind: 'sales-pipeline', regionGroup: { __entity: { type: 'Group', id: 'sales-emea' } } },
      parents: [],
    });
    expect(labelEntityFor('weird')).toEqual({
      uid: { type: 'Label', id: 'weird' },
      attrs: { kind: 'unknown' },
      parents: [],
    });
  });
});
