import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../protocol/errors.ts';
import type { LabelSpec } from '../workspace/workspace-config.ts';
import { findCatalogueProblems, LabelCatalogue } from './label-catalogue.ts';

const CLINIC: LabelSpec[] = [
  { id: 'patient-record', description: 'Patient records', readers: ['doctors', 'nurses'], stewards: ['records'] },
  { id: 'ward:{ward}', description: "A ward's roster", readers: ['ward-{ward}', 'user:head-nurse'] },
  { id: 'ward:icu', readers: ['icu-staff'] },
  { id: 'site:{site}:ward:{ward}', readers: ['site-{site}-ward-{ward}'], stewards: ['user:{site}-lead'] },
  { id: 'everyone-notes', readers: ['everyone'], stewards: ['everyone'] },
];

const catalogue = LabelCatalogue.fromSpecs(CLINIC);

describe('matching a concrete label to its catalogue entry', () => {
  it('an exact id', () => {
    expect(catalogue.resolve('patient-record')).toMatchObject({
      kind: 'patient-record',
      parameters: {},
      readers: { everyone: false, groups: ['doctors', 'nurses'], users: [] },
      stewards: { everyone: false, groups: ['records'], users: [] },
    });
  });

  it('a parameterized id, with the parameter filled into readers and stewards', () => {
    expect(catalogue.resolve('ward:3')).toMatchObject({
      kind: 'ward:{ward}',
      parameters: { ward: '3' },
      readers: { groups: ['ward-3'], users: ['head-nurse'] },
      stewards: { everyone: false, groups: [], users: [] },
    });
    expect(catalogue.resolve('site:north:ward:7')).toMatchObject({
      kind: 'site:{site}:ward:{ward}',
      parameters: { site: 'north', ward: '7' },
      readers: { groups: ['site-north-ward-7'] },
      stewards: { users: ['north-lead'] },
    });
  });

  it('an exact id wins over a pattern that matches it too', () => {
    expect(catalogue.resolve('ward:icu')).toMatchObject({ kind: 'ward:icu', readers: { groups: ['icu-staff'] } });
  });

  it('everyone', () => {
    expect(catalogue.resolve('everyone-notes')).toMatchObject({
      readers: { everyone: true, groups: [] },
      stewards: { everyone: true },
    });
  });

  it('public and acl labels are the product’s, whatever the catalogue', () => {
    for (const labels of [catalogue, LabelCatalogue.empty()]) {
      expect(labels.resolve('public')).toMatchObject({ kind: 'public', readers: { everyone: true } });
      expect(labels.resolve('acl:group:hr,user:bob')).toMatchObject({
        kind: 'acl',
        acl: { groups: ['hr'], users: ['bob'] },
        readers: { everyone: false, groups: [], users: [] },
      });
      expect(labels.resolve('acl:group:HR').kind).toBe('unknown');
    }
  });

  it.each([
    '',
    'Patient-record',
    'patient-record ',
    'patient-record:x',
    'ward',
    'ward:',
    'ward:3:x',
    'ward:{ward}',
    'ward:WEST',
    'ward:../admins',
    'ward:-1',
    'ward:.hidden',
    'ward:a b',
    'ward:a/b',
    'ward:a,b',
    'ward:ünï',
    `ward:${'a'.repeat(65)}`,
    'site:north:ward',
    'site:north:ward:',
    'unknown',
    'unclassified',
    'secret',
  ])('%j is unknown (fails closed)', (label) => {
    expect(catalogue.resolve(label)).toMatchObject({
      kind: 'unknown',
      readers: { everyone: false, groups: [], users: [] },
      stewards: { everyone: false, groups: [], users: [] },
    });
  });

  it('property: a parameter value that is not one lower-case token never clears anyone', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (value) => {
        const resolved = catalogue.resolve(`ward:${value}`);
        if (/^[a-z0-9][a-z0-9._-]*$/.test(value)) {
          expect(resolved.kind).toBe(value === 'icu' ? 'ward:icu' : 'ward:{ward}');
        } else {
          expect(resolved.kind).toBe('unknown');
          expect(resolved.readers.groups).toEqual([]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('an empty catalogue knows public and acl labels only', () => {
    const empty = LabelCatalogue.fromSpecs([]);
    expect(empty.labels).toEqual([]);
    expect(empty.kinds()).toEqual(['public', 'acl', 'unknown']);
    expect(empty.resolve('patient-record').kind).toBe('unknown');
  });
});

describe('the Cedar Label entity', () => {
  it('carries the kind and the computed audiences as entity references', () => {
    expect(catalogue.entity('ward:3')).toEqual({
      uid: { type: 'Label', id: 'ward:3' },
      attrs: {
        kind: 'ward:{ward}',
        readerGroups: [{ __entity: { type: 'Group', id: 'ward-3' } }],
        readerUsers: [{ __entity: { type: 'User', id: 'head-nurse' } }],
        everyoneReads: false,
        stewardGroups: [],
        stewardUsers: [],
        everyoneStewards: false,
      },
      parents: [],
    });
    expect(catalogue.entity('acl:group:hr').attrs).toMatchObject({
      kind: 'acl',
      aclGroups: [{ __entity: { type: 'Group', id: 'hr' } }],
      aclUsers: [],
    });
    expect(catalogue.entity('nope').attrs).toMatchObject({ kind: 'unknown', readerGroups: [], everyoneReads: false });
  });
});

describe('catalogue problems', () => {
  const problems = (labels: LabelSpec[]) => findCatalogueProblems(labels);

  it('none for a good catalogue', () => {
    expect(problems(CLINIC)).toEqual([]);
  });

  it.each([
    [{ id: 'unknown' }, ['labels', 0, 'id'], /reserved/],
    [{ id: 'unclassified', readers: ['everyone'] }, ['labels', 0, 'id'], /reserved/],
    [{ id: 'acl:{x}' }, ['labels', 0, 'id'], /reserved/],
    [{ id: '{x}:y' }, ['labels', 0, 'id'], /start with a fixed name/],
    [{ id: 'Ward' }, ['labels', 0, 'id'], /lower-case label id/],
    [{ id: 'x:{a}:{a}' }, ['labels', 0, 'id'], /appears twice/],
    [{ id: 'ward:{ward}', readers: ['ward-{wrd}'] }, ['labels', 0, 'readers', 0], /ward-\{wrd\}.*\{ward\}/],
    [{ id: 'ward', stewards: ['ward-{ward}'] }, ['labels', 0, 'stewards', 0], /takes no parameter/],
    [{ id: 'ward', readers: ['group:nurses'] }, ['labels', 0, 'readers', 0], /group's name alone \(nurses\)/],
    [{ id: 'ward', readers: ['user:'] }, ['labels', 0, 'readers', 0], /user:<id>/],
    [{ id: 'ward', readers: ['nurses ward'] }, ['labels', 0, 'readers', 0], /not a group name/],
    [{ id: 'public', readers: ['staff'] }, ['labels', 0, 'readers'], /public is built in/],
  ] as const)('%j', (label, path, message) => {
    const found = problems([label as LabelSpec]);
    expect(found).toHaveLength(1);
    expect(found[0]?.path).toEqual(path);
    expect(found[0]?.message).toMatch(message);
  });

  it('a label declared twice, and patterns that match the same ids equally well', () => {
    expect(problems([{ id: 'ward:{a}' }, { id: 'ward:{b}' }])).toEqual([
      { path: ['labels', 1, 'id'], message: 'label "ward:{b}" is declared twice (also labels[0])' },
    ]);
    const overlapping = problems([{ id: 'a:{x}:c' }, { id: 'a:b:{y}' }]);
    expect(overlapping).toHaveLength(1);
    expect(overlapping[0]?.message).toMatch(/match the same ids equally well/);
    // More literal parts is more specific: no ambiguity.
    expect(problems([{ id: 'a:{x}:{y}' }, { id: 'a:b:{y}' }, { id: 'a:b:c' }])).toEqual([]);
  });

  it('fromSpecs refuses a catalogue with problems, listing them', () => {
    const error = (() => {
      try {
        LabelCatalogue.fromSpecs([{ id: 'ward:{ward}', readers: ['ward-{x}'] }, { id: 'unknown' }]);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'policy_invalid' });
    expect((error as AppError).message).toMatch(/labels\[0\]\.readers\[0\]: .*labels\[1\]\.id: .*reserved/);
    expect((error as AppError).data?.problems).toHaveLength(2);
  });

  it('public may be described, and only ever means everyone', () => {
    const labels = LabelCatalogue.fromSpecs([{ id: 'public', description: 'Open', readers: ['everyone'] }]);
    expect(labels.labels.map((label) => label.id)).toEqual(['public']);
    expect(labels.resolve('public')).toMatchObject({ entry: { description: 'Open' }, readers: { everyone: true } });
  });
});
