import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE_WORKSPACE_DIR, EXAMPLE_WORKSPACE_NAME } from '../../../test/support/example-workspace.ts';
import { EXIT } from '../exit-codes.ts';
import type { CommandOutput } from '../output.ts';
import { policyTestCommand } from './policy-test.ts';
import { policyValidateCommand } from './policy-validate.ts';

function capture(): CommandOutput & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    out: (line) => lines.push(line),
    progress: () => undefined,
    error: (line) => errors.push(line),
  };
}

const CLINIC_YAML = `name: Riverside Clinic
people:
  - { id: ana, name: Ana Ruiz, groups: [doctors] }
  - { id: nico, name: Nico Berg, groups: [nurses, ward-3] }
  - { id: rui, name: Rui Sousa, groups: [records, it] }
admins: [it]
labels:
  - { id: patient-record, description: Patient records, readers: [doctors, nurses], stewards: [records] }
  - { id: "ward:{ward}", description: A ward's roster, readers: ["ward-{ward}"] }
policies: policies/
`;

const NIGHT_SHIFT = `// The night shift covers every ward.
@id("night-shift-reads-wards")
@reason("The night shift covers every ward")
permit (principal, action == Action::"readLabel", resource is Label)
when { resource.kind == "ward:{ward}" && principal in Group::"night-shift" };
`;

const temporary: string[] = [];
afterEach(async () => {
  await Promise.all(temporary.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function workspace(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'behalf-policy-cli-'));
  temporary.push(dir);
  for (const [name, text] of Object.entries({ 'behalf.yaml': CLINIC_YAML, ...files })) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  await mkdir(join(dir, 'policies'), { recursive: true });
  return dir;
}

describe('behalf policy validate', () => {
  it('the example workspace validates: Behalf’s policies, its catalogue and admins, its policies folder', async () => {
    const output = capture();
    expect(await policyValidateCommand({ workspace: EXAMPLE_WORKSPACE_DIR }, output)).toBe(EXIT.ok);
    expect(output.lines[0]).toMatch(new RegExp(`^✓ ${EXAMPLE_WORKSPACE_NAME}: \\d+ policies validate\\.$`));
    expect(output.lines.join('\n')).toMatch(/label kinds: .*sales-pipeline:\{region\}/);
  });

  it('a policy that does not validate: exit 3, naming the file and line', async () => {
    const dir = await workspace({
      'policies/wards.cedar': NIGHT_SHIFT,
      'policies/odd.cedar':
        '\n\n@id("peek") @reason("x")\npermit (principal, action == Action::"readThread", resource is Thread)\nwhen { resource.secret };\n',
    });
    const output = capture();
    expect(await policyValidateCommand({ workspace: dir }, output)).toBe(EXIT.failure);
    expect(output.lines[0]).toMatch(/^✗ .*policies\/odd\.cedar:5: policy "peek": .*attribute `secret`/);
    expect(output.lines.at(-1)).toBe('1 problem: the policies do not validate.');
  });

  it('a catalogue problem names behalf.yaml, its line and key', async () => {
    const dir = await workspace({
      'behalf.yaml': CLINIC_YAML.replace('readers: ["ward-{ward}"]', 'readers: ["ward-{wrd}"]'),
    });
    const output = capture();
    expect(await policyValidateCommand({ workspace: dir, json: true }, output)).toBe(EXIT.failure);
    const report = JSON.parse(output.lines[0] as string) as { ok: boolean; problems: string[] };
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.stringMatching(/behalf\.yaml:9 labels\[1\]\.readers\[0\]: "ward-\{wrd\}" names \{wrd\}/),
    ]);
  });

  it('a behalf.yaml that does not load: exit 3 with its problems', async () => {
    const dir = await workspace({ 'behalf.yaml': 'name: x\nlabels: 3\n' });
    const output = capture();
    expect(await policyValidateCommand({ workspace: dir }, output)).toBe(EXIT.failure);
    expect(output.lines[0]).toMatch(/behalf\.yaml:2:\d+ labels: /);
  });

  it('an empty workspace validates on Behalf’s own policies', async () => {
    const dir = await workspace({ 'behalf.yaml': 'name: Empty\n' });
    const output = capture();
    expect(await policyValidateCommand({ workspace: dir, json: true }, output)).toBe(EXIT.ok);
    expect(JSON.parse(output.lines[0] as string)).toMatchObject({ ok: true, catalogue: 0, workspace: 0 });
  });
});

describe('behalf policy test', () => {
  it('the example workspace’s tests pass', async () => {
    const output = capture();
    const file = join(EXAMPLE_WORKSPACE_DIR, 'policies/tests.yaml');
    expect(await policyTestCommand({ workspace: EXAMPLE_WORKSPACE_DIR, file }, output)).toBe(EXIT.ok);
    expect(output.lines.filter((line) => line.startsWith('✗'))).toEqual([]);
    expect(output.lines.at(-1)).toMatch(/^\d+ passed, 0 failed/);
  });

  it('prints pass and fail with the deciding policies; exit 1 when any fails', async () => {
    const dir = await workspace({
      'policies/wards.cedar': NIGHT_SHIFT,
      'policies/tests.yaml': `
- name: a ward's nurse reads its roster
  principal: nico
  action: readLabel
  resource: label:ward:3
  expect: allow
  policies: [label-ward-ward-readers]
- name: the night shift reads every ward
  principal: { id: zoe, groups: [night-shift] }
  action: readLabel
  resource: label:ward:9
  expect: allow
- name: wrong on purpose
  principal: ana
  action: readLabel
  resource: "Label::\\"ward:3\\""
  expect: allow
- name: wrong policies on purpose
  principal: ana
  action: readLabel
  resource: label:patient-record
  expect: allow
  policies: [something-else]
- name: admins administer
  principal: rui
  action: administer
  resource: workspace
  expect: allow
`,
    });
    const output = capture();
    expect(await policyTestCommand({ workspace: dir, file: join(dir, 'policies/tests.yaml') }, output)).toBe(
      EXIT.negative,
    );
    expect(output.lines).toEqual([
      "✓ PASS a ward's nurse reads its roster: allow (label-ward-ward-readers)",
      '✓ PASS the night shift reads every ward: allow (night-shift-reads-wards)',
      '✗ FAIL wrong on purpose: expected allow, got deny (no policy)',
      '    reason: No policy allows ana to readLabel ward:3',
      '✗ FAIL wrong policies on purpose: expected policies something-else, got label-patient-record-readers (label-patient-record-readers)',
      '    reason: The label catalogue clears doctors and nurses for patient-record (Patient records)',
      '✓ PASS admins administer: allow (admins-administer-workspace)',
      `3 passed, 2 failed (${join(dir, 'policies/tests.yaml')})`,
    ]);
  });

  it('JSON cases under `cases:`, and JSON output', async () => {
    const dir = await workspace({
      'cases.json': JSON.stringify({
        cases: [
          {
            name: 'an agent write waits for approval',
            principal: { id: 'ana', groups: [] },
            action: 'useToolUnattended',
            resource: { type: 'tool', id: 'create_ticket', effect: 'write' },
            context: { viaAgent: true },
            expect: 'deny',
          },
          {
            name: 'document ACL',
            principal: 'ana',
            action: 'readDocument',
            resource: { type: 'document', id: 'd1', label: 'patient-record', readers: ['group:doctors'] },
            expect: 'allow',
          },
        ],
      }),
    });
    const output = capture();
    expect(await policyTestCommand({ workspace: dir, file: join(dir, 'cases.json'), json: true }, output)).toBe(
      EXIT.ok,
    );
    expect(JSON.parse(output.lines[0] as string)).toMatchObject({
      ok: true,
      passed: 2,
      failed: 0,
      results: [{ policies: ['agent-writes-need-approval'] }, { policies: ['document-reader-groups'] }],
    });
  });

  it('exit 3 when the policies do not validate: no case runs', async () => {
    const dir = await workspace({
      'policies/bad.cedar': '@id("bad") @reason("x")\npermit (principal action, resource);\n',
      'tests.yaml': '- { name: x, principal: ana, action: readLabel, resource: label:public, expect: allow }\n',
    });
    const output = capture();
    expect(await policyTestCommand({ workspace: dir, file: join(dir, 'tests.yaml') }, output)).toBe(EXIT.failure);
    expect(output.lines).toEqual([]);
    expect(output.errors[0]).toMatch(/policies\/bad\.cedar:2: does not parse/);
  });

  it('exit 3 on a malformed test file, naming the line', async () => {
    const dir = await workspace({
      'tests.yaml':
        '- name: ok\n  principal: ana\n  action: readLabel\n  resource: label:public\n  expect: allow\n' +
        '- name: typo\n  principal: ana\n  action: readLable\n  resource: label:public\n  expect: allow\n' +
        '- name: stranger\n  principal: mallory\n  action: readLabel\n  resource: label:public\n  expect: allow\n',
    });
    const output = capture();
    expect(await policyTestCommand({ workspace: dir, file: join(dir, 'tests.yaml') }, output)).toBe(EXIT.failure);
    expect(output.errors).toEqual([expect.stringMatching(/tests\.yaml:8 \[1\]\.action: /)]);
    const fixed = capture();
    await writeFile(
      join(dir, 'tests.yaml'),
      '- name: stranger\n  principal: mallory\n  action: readLabel\n  resource: tool:sql\n  expect: allow\n',
    );
    expect(await policyTestCommand({ workspace: dir, file: join(dir, 'tests.yaml') }, fixed)).toBe(EXIT.failure);
    expect(fixed.errors).toEqual([
      expect.stringMatching(/tests\.yaml:2 \[0\]\.principal: "mallory" is none of the workspace's people/),
      expect.stringMatching(/tests\.yaml:4 \[0\]\.resource: readLabel applies to a Label/),
    ]);
    const missing = capture();
    expect(await policyTestCommand({ workspace: dir, file: join(dir, 'nope.yaml') }, missing)).toBe(EXIT.failure);
    expect(missing.errors[0]).toMatch(/nope\.yaml: cannot be read \(ENOENT\)/);
  });
});
