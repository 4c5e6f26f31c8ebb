import { describe, expect, it } from 'vitest';
import { cedarString, compileAdmins, compileLabelCatalogue } from './compile-catalogue.ts';
import { readDefaultSchema } from './default-schema.ts';
import { LabelCatalogue } from './label-catalogue.ts';
import { checkPolicySet } from './policy-set.ts';

const texts = (policies: Record<string, { text: string }>) =>
  Object.fromEntries(Object.entries(policies).map(([id, policy]) => [id, policy.text]));

describe('compileLabelCatalogue', () => {
  const catalogue = LabelCatalogue.fromSpecs([
    { id: 'public', description: 'Anyone', readers: ['everyone'], stewards: ['everyone'] },
    { id: 'hr-confidential', description: 'Salaries', readers: ['hr', 'finance'], stewards: ['hr'] },
    { id: 'ward:{ward}', readers: ['ward-{ward}', 'user:matron'], stewards: ['user:{ward}-lead'] },
    { id: 'ward.notes', readers: ['everyone'] },
    { id: 'ward:notes' },
  ]);
  const compiled = compileLabelCatalogue(catalogue);

  it('one permit per label and side, named after the label, pointing back at behalf.yaml', () => {
    expect(Object.keys(compiled)).toEqual([
      'label-hr-confidential-readers',
      'declassify-hr-confidential-stewards',
      'label-ward-ward-readers',
      'declassify-ward-ward-stewards',
      'label-ward-notes-readers',
    ]);
    expect(compiled['label-ward-ward-readers']?.from).toEqual(['labels', 2, 'readers']);
    expect(compiled['label-hr-confidential-readers']?.text).toBe(
      '@id("label-hr-confidential-readers")\n' +
        '@reason("The label catalogue clears hr and finance for hr-confidential (Salaries)")\n' +
        'permit (principal, action == Action::"readLabel", resource is Label)\n' +
        'when { resource.kind == "hr-confidential" && principal in resource.readerGroups };',
    );
    expect(compiled['declassify-ward-ward-stewards']?.text).toContain(
      'permit (principal is User, action == Action::"declassifyLabel", resource is Label)\n' +
        'when { resource.kind == "ward:{ward}" && resource.stewardUsers.contains(principal) };',
    );
    expect(compiled['label-ward-notes-readers']?.text).toContain('when { resource.kind == "ward.notes" };');
  });

  it('labels whose ids make the same slug still get distinct ids', () => {
    const twins = compileLabelCatalogue(
      LabelCatalogue.fromSpecs([
        { id: 'a.b', readers: ['x'] },
        { id: 'a-b', readers: ['x'] },
      ]),
    );
    expect(Object.keys(twins)).toEqual(['label-a-b-readers', 'label-a-b-2-readers']);
  });

  it('everything it generates validates against Behalf’s schema', async () => {
    const policies = { ...texts(compiled), ...texts(compileAdmins(['admins', 'it ops'])) };
    expect(checkPolicySet(policies, await readDefaultSchema())).toHaveProperty('facts');
  });
});

describe('compileAdmins', () => {
  it('no admins, no permits', () => {
    expect(compileAdmins([])).toEqual({});
  });

  it('provisionAgent and administer for the admin groups', () => {
    const policies = texts(compileAdmins(['admins', 'it']));
    expect(Object.keys(policies)).toEqual(['admins-provision-agents', 'admins-administer-workspace']);
    expect(policies['admins-administer-workspace']).toContain('when { principal in [Group::"admins", Group::"it"] };');
  });
});

it('cedarString escapes quotes, backslashes and control characters', () => {
  expect(cedarString('a "b" \\ c\nd\u0001e')).toBe('"a \\"b\\" \\\\ c\\nd e"');
});
