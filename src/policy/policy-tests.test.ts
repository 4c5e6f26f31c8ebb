import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDeployment } from '../app/open-deployment.ts';
import { loadWorkspace } from '../workspace/load-workspace.ts';
import { policyTestFiles, workspacePolicyTestProblems } from './policy-tests.ts';
import { loadWorkspacePolicySet, workspacePolicyOptions } from './workspace-policies.ts';

const YAML = `name: Harbour School
people:
  - { id: tess, name: Tess Ng, groups: [teachers] }
  - { id: paul, name: Paul Ode, groups: [parents] }
labels:
  - { id: grades, description: Pupils' grades, readers: [teachers] }
policies: policies/
`;

const PASSING = `- name: teachers read grades
  principal: tess
  action: readLabel
  resource: label:grades
  expect: allow
`;

const FAILING = `cases:
  - name: parents read grades
    principal: paul
    action: readLabel
    resource: label:grades
    expect: allow
`;

const temporary: string[] = [];
afterEach(async () => {
  await Promise.all(temporary.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function workspace(tests: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'behalf-policy-tests-'));
  temporary.push(dir);
  await mkdir(join(dir, 'policies'));
  await writeFile(join(dir, 'behalf.yaml'), YAML);
  for (const [name, text] of Object.entries(tests)) await writeFile(join(dir, 'policies', name), text);
  return dir;
}

async function problemsOf(dir: string): Promise<string[]> {
  const loaded = await loadWorkspace(dir);
  const options = workspacePolicyOptions(loaded);
  return workspacePolicyTestProblems(options.policiesDir, await loadWorkspacePolicySet(options), loaded.config);
}

describe('workspace policy tests', () => {
  it('finds tests.yaml and *.tests.yaml files of the policies folder, not other files', async () => {
    const dir = await workspace({ 'tests.yaml': PASSING, 'wards.tests.yml': PASSING, 'notes.yaml': 'x: 1' });
    const files = await policyTestFiles(join(dir, 'policies'));
    expect(files.map((file) => file.split('/').pop())).toEqual(['tests.yaml', 'wards.tests.yml']);
    expect(await policyTestFiles(undefined)).toEqual([]);
  });

  it('passes when every case decides as expected', async () => {
    expect(await problemsOf(await workspace({ 'tests.yaml': PASSING }))).toEqual([]);
  });

  it('names the file and the case that decides otherwise, and a malformed file by its line', async () => {
    const failing = await problemsOf(await workspace({ 'tests.yaml': PASSING, 'grades.tests.yaml': FAILING }));
    expect(failing).toHaveLength(1);
    expect(failing[0]).toMatch(/grades\.tests\.yaml: case "parents read grades" failed: expected allow, got deny/);
    const malformed = await problemsOf(await workspace({ 'tests.yaml': '- name: no principal\n  expect: allow\n' }));
    expect(malformed.join('\n')).toMatch(/tests\.yaml:1 \[0\]\.principal/);
  });

  it('keeps a server from starting when a case fails (policy_invalid, exit 3)', async () => {
    const dir = await workspace({ 'tests.yaml': FAILING });
    const dataDir = join(dir, 'data');
    await expect(openDeployment({ dataDir, workspace: dir, serve: true, env: {} })).rejects.toMatchObject({
      code: 'policy_invalid',
      message: expect.stringMatching(/Policy tests fail: .*parents read grades/),
    });
  });
});
