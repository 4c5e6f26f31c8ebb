import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE_WORKSPACE_NAME, EXAMPLE_WORKSPACE_PATH } from '../../test/support/example-workspace.ts';
import { loadWorkspace, parseWorkspaceText } from './load-workspace.ts';
import { WorkspaceError, type WorkspaceProblem } from './workspace-error.ts';
import { workspaceJsonSchemaText } from './write-json-schema.ts';

function problemsOf(text: string): WorkspaceProblem[] {
  try {
    parseWorkspaceText(text, 'behalf.yaml');
  } catch (error) {
    if (error instanceof WorkspaceError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the workspace to be refused');
}

const MINIMAL = `name: Test
people:
  - { id: ana, name: Ana, groups: [doctors] }
labels:
  - { id: "ward:{ward}", readers: ["ward-{ward}"] }
`;

describe('loadWorkspace', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('loads the example workspace and applies defaults', async () => {
    const workspace = await loadWorkspace(EXAMPLE_WORKSPACE_PATH);
    expect(workspace.config.name).toBe(EXAMPLE_WORKSPACE_NAME);
    expect(workspace.config.people.map((person) => person.id)).toContain('alice');
    expect(workspace.config.sources[0]?.identity.convention).toBe('settings');
    expect(workspace.file.endsWith(`${EXAMPLE_WORKSPACE_PATH}/behalf.yaml`)).toBe(true);
  });

  it('names a missing directory and a directory without behalf.yaml', async () => {
    await expect(loadWorkspace('/nonexistent/workspace')).rejects.toThrow(/no such workspace/);
    const dir = await mkdtemp(join(tmpdir(), 'behalf-ws-'));
    dirs.push(dir);
    await expect(loadWorkspace(dir)).rejects.toThrow(/behalf init/);
    await writeFile(join(dir, 'behalf.yaml'), MINIMAL);
    expect((await loadWorkspace(dir)).config.labels).toHaveLength(1);
  });

  it('reports a schema error with its line, column and key', () => {
    const [problem, ...rest] = problemsOf(`name: Test
people:
  - id: ana
    name: Ana
    groups: [doctors, "bad group"]
`);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ file: 'behalf.yaml', line: 5, path: 'people[0].groups[1]' });
    expect(problem?.column).toBeGreaterThan(1);
  });

  it('reports every problem at once, including unknown keys and YAML syntax', () => {
    const problems = problemsOf(`name: Test
peeple: []
sources:
  - name: Clinic
    url: pglite:memory
    identity: { convention: magic }
`);
    const paths = problems.map((problem) => problem.path);
    expect(paths).toContain('sources[0].name');
    expect(paths).toContain('sources[0].identity.convention');
    expect(problems.some((problem) => problem.message.includes('peeple'))).toBe(true);
    const [syntax] = problemsOf('name: [unclosed\n');
    expect(syntax?.line).toBeGreaterThan(0);
    expect(problemsOf('name: a\nname: b\n')[0]?.line).toBe(2);
  });

  it('names the key a misspelt one most likely meant, among the keys of that object', () => {
    const problems = problemsOf(`name: Test
lables: []
sources:
  - name: app
    url: pglite:memory
    writerole: writer
    tabels: {}
    identity: { convention: settings, role: reader, setings: {} }
    zzzzzz: 1
`);
    const messages = problems.map((problem) => `${problem.path}: ${problem.message}`);
    expect(messages).toContainEqual(expect.stringMatching(/: Unrecognized key: "lables" \(did you mean "labels"\?\)$/));
    expect(messages).toContainEqual(
      expect.stringMatching(/^sources\[0\]: .*\(did you mean "writeRole" for "writerole", "tables" for "tabels"\?\)$/),
    );
    expect(messages).toContainEqual(expect.stringMatching(/^sources\[0\]\.identity: .*"settings"\?\)$/));
    // Nothing close: no guess.
    expect(messages.join('\n')).not.toMatch(/for "zzzzzz"/);
  });

  it('refuses references that point nowhere', () => {
    const problems = problemsOf(`${MINIMAL}sources:
  - name: clinic
    url: postgres://app@db/clinic
    setup: [schema.sql]
    identity: { convention: postgrest, role: authenticated, claims: { sub: "{{user.id}}" } }
    tables:
      patients: { labels: [patient-record] }
      rosters: { labels: ["ward:{ward_id}"] }
threads:
  - { id: t1, title: T, owner: bo, members: [ana] }
`);
    const byPath = Object.fromEntries(problems.map((problem) => [problem.path, problem]));
    expect(byPath['sources[0].tables.patients.labels[0]']?.message).toMatch(/not in the label catalogue/);
    expect(byPath['sources[0].tables.rosters.labels[0]']).toBeUndefined();
    expect(byPath['sources[0].setup']?.message).toMatch(/pglite/);
    expect(byPath['threads[0].owner']?.message).toMatch(/not one of the workspace's people/);
    expect(byPath['threads[0].members']?.message).toMatch(/must be a member/);
    expect(byPath['sources[0].tables.patients.labels[0]']?.line).toBe(12);
  });

  it('refuses duplicate ids', () => {
    const problems = problemsOf(`name: T
people:
  - { id: ana, name: Ana }
  - { id: ana, name: Ana again }
labels:
  - { id: "ward:{a}" }
  - { id: "ward:{b}" }
`);
    expect(problems.map((problem) => problem.path).sort()).toEqual(['labels[1]', 'people[1]']);
    expect(problems.find((problem) => problem.path === 'people[1]')?.line).toBe(4);
  });

  it('publishes the JSON Schema generated from the same definition', async () => {
    const published = await readFile('schema/behalf.schema.json', 'utf8');
    // Regenerate with `npx tsx src/workspace/write-json-schema.ts`.
    expect(published).toBe(workspaceJsonSchemaText());
  });
});
