import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE_USERS } from '../../test/support/example-workspace.ts';
import { createMemoryEntityResolver, testAgent } from '../../test/support/policy-testing.ts';
import { AppError } from '../protocol/errors.ts';
import type { LabelSpec } from '../workspace/workspace-config.ts';
import { createCedarPolicyEngine } from './cedar-policy-engine.ts';
import type { PolicyFileProblem } from './policy-files.ts';
import { loadPolicyDirectory } from './policy-loader.ts';
import type { PolicyAction, PolicyEngine, ResourceRef } from './types.ts';
import {
  checkWorkspacePolicies,
  defaultWorkspaceDir,
  loadWorkspacePolicySet,
  readWorkspacePolicyOptions,
  type WorkspacePolicyOptions,
} from './workspace-policies.ts';

const CLINIC_LABELS: LabelSpec[] = [
  { id: 'patient-record', description: 'Patient records', readers: ['doctors', 'nurses'], stewards: ['records'] },
  {
    id: 'ward:{ward}',
    description: "A ward's roster",
    readers: ['ward-{ward}', 'user:matron'],
    stewards: ['user:{ward}-lead'],
  },
];

const PEOPLE = [
  { id: 'ana', groups: ['doctors'] },
  { id: 'nico', groups: ['nurses', 'ward-3'] },
  { id: 'rui', groups: ['records', 'admins'] },
  { id: 'matron', groups: [] },
  { id: '3-lead', groups: [] },
  { id: 'eve', groups: ['ward-4'] },
];

const temporary: string[] = [];
afterEach(async () => {
  await Promise.all(temporary.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'behalf-workspace-policies-'));
  temporary.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

async function engineFor(options: WorkspacePolicyOptions): Promise<PolicyEngine> {
  const set = await loadWorkspacePolicySet(options);
  const resolver = createMemoryEntityResolver({ users: PEOPLE });
  resolver.putThread({ id: 'self', ownerId: 'ana', members: ['ana'], agent: testAgent(['ward-3']) });
  return createCedarPolicyEngine({ policies: set.policies, schema: set.schema, labels: set.catalogue, resolver });
}

const decide = (engine: PolicyEngine, user: string, action: PolicyAction, resource: ResourceRef) =>
  engine.authorize({ principal: { type: 'User', id: user }, action, resource, context: { viaAgent: false } });
const label = (id: string): ResourceRef => ({ type: 'Label', id });

async function problemsOf(options: WorkspacePolicyOptions): Promise<PolicyFileProblem[]> {
  const checked = await checkWorkspacePolicies(options);
  if (checked.ok) throw new Error('expected problems');
  return checked.problems;
}

describe('a workspace’s catalogue compiled to Cedar', () => {
  it('clears a label’s readers, naming the label’s policy', async () => {
    const engine = await engineFor({ labels: CLINIC_LABELS });
    expect(await decide(engine, 'ana', 'readLabel', label('patient-record'))).toEqual({
      effect: 'allow',
      policies: ['label-patient-record-readers'],
      reason: 'The label catalogue clears doctors and nurses for patient-record (Patient records)',
    });
    expect((await decide(engine, 'rui', 'readLabel', label('patient-record'))).effect).toBe('deny');
  });

  it('fills a parameterized label’s readers and stewards from the concrete id', async () => {
    const engine = await engineFor({ labels: CLINIC_LABELS });
    const effects = async (action: PolicyAction, id: string) =>
      Object.fromEntries(
        await Promise.all(
          PEOPLE.map(async ({ id: user }) => [user, (await decide(engine, user, action, label(id))).effect]),
        ),
      );
    expect(await effects('readLabel', 'ward:3')).toEqual({
      ana: 'deny',
      nico: 'allow',
      rui: 'deny',
      matron: 'allow',
      '3-lead': 'deny',
      eve: 'deny',
    });
    expect(await effects('declassifyLabel', 'ward:3')).toEqual({
      ana: 'deny',
      nico: 'deny',
      rui: 'deny',
      matron: 'deny',
      '3-lead': 'allow',
      eve: 'deny',
    });
    expect((await decide(engine, 'nico', 'readLabel', label('ward:3'))).policies).toEqual(['label-ward-ward-readers']);
    expect((await decide(engine, '3-lead', 'declassifyLabel', label('ward:3'))).policies).toEqual([
      'declassify-ward-ward-stewards',
    ]);
  });

  it('a malicious parameter value is an unknown label: nobody is cleared, the forbid says why', async () => {
    const engine = await engineFor({ labels: [...CLINIC_LABELS, { id: 'open:{x}', readers: ['everyone'] }] });
    for (const id of ['ward:../admins', 'ward:3:x', 'ward:WARD-3', 'open:a b', 'open:', 'ward:3 ', 'ward:{ward}']) {
      for (const user of ['nico', 'matron']) {
        expect(await decide(engine, user, 'readLabel', label(id))).toMatchObject({
          effect: 'deny',
          policies: ['unknown-label-fails-closed'],
        });
      }
    }
    expect((await decide(engine, 'eve', 'readLabel', label('open:ok'))).effect).toBe('allow');
  });

  it('an agent identity is cleared through its groups', async () => {
    const engine = await engineFor({ labels: CLINIC_LABELS });
    const asAgent = (id: string) =>
      engine.authorize({
        principal: { type: 'Agent', threadId: 'self' },
        action: 'readLabel',
        resource: label(id),
        context: { viaAgent: true, mode: 'self' },
      });
    expect((await asAgent('ward:3')).effect).toBe('allow');
    expect((await asAgent('ward:4')).effect).toBe('deny');
  });

  it('an empty workspace: public and document ACLs work, everything else is denied', async () => {
    const set = await loadWorkspacePolicySet({ labels: [] });
    expect(Object.keys(set.policies).filter((id) => set.sources[id]?.origin !== 'product')).toEqual([]);
    const engine = await engineFor({ labels: [] });
    expect((await decide(engine, 'ana', 'readLabel', label('public'))).effect).toBe('allow');
    expect((await decide(engine, 'ana', 'declassifyLabel', label('public'))).effect).toBe('allow');
    expect((await decide(engine, 'ana', 'readLabel', label('acl:group:doctors'))).effect).toBe('allow');
    expect((await decide(engine, 'ana', 'readLabel', label('patient-record'))).policies).toEqual([
      'unknown-label-fails-closed',
    ]);
    const directory = { type: 'AgentDirectory', id: 'global' } as const;
    expect((await decide(engine, 'rui', 'provisionAgent', directory)).effect).toBe('deny');
    expect((await decide(engine, 'rui', 'administer', { type: 'Workspace', id: 'global' })).effect).toBe('deny');
  });

  it('admins: provision agents and administer the workspace', async () => {
    const engine = await engineFor({ labels: [], admins: ['admins', 'it'] });
    const directory = { type: 'AgentDirectory', id: 'global' } as const;
    expect(await decide(engine, 'rui', 'provisionAgent', directory)).toMatchObject({
      effect: 'allow',
      policies: ['admins-provision-agents'],
    });
    expect(await decide(engine, 'rui', 'administer', { type: 'Workspace', id: 'global' })).toMatchObject({
      effect: 'allow',
      policies: ['admins-administer-workspace'],
    });
    expect((await decide(engine, 'ana', 'administer', { type: 'Workspace', id: 'global' })).effect).toBe('deny');
  });

  it('the generated schema names the workspace’s label kinds', async () => {
    const set = await loadWorkspacePolicySet({ labels: CLINIC_LABELS });
    expect(set.schema).toMatch(/"public", "acl", "unknown", "patient-record", "ward:\{ward\}"/);
    expect(set.sources['label-ward-ward-readers']).toEqual({
      origin: 'catalogue',
      file: 'behalf.yaml',
      line: 0,
      key: 'labels[1].readers',
    });
  });
});

describe('the workspace’s own policies', () => {
  it('join the set, and may use the catalogue’s kinds', async () => {
    const dir = await tempDir({
      'wards.cedar':
        '@id("night-shift-reads-wards") @reason("The night shift covers every ward")\n' +
        'permit (principal, action == Action::"readLabel", resource is Label)\n' +
        'when { resource.kind == "ward:{ward}" && principal in Group::"night-shift" };\n',
      'tests.yaml': 'not a policy file',
    });
    const set = await loadWorkspacePolicySet({ labels: CLINIC_LABELS, policiesDir: dir });
    expect(set.sources['night-shift-reads-wards']).toMatchObject({ origin: 'workspace', line: 1 });
    expect(set.sources['night-shift-reads-wards']?.file).toMatch(/wards\.cedar$/);
  });

  it('a policy that does not validate is reported with its file and line', async () => {
    const dir = await tempDir({
      'ok.cedar': '@id("fine") @reason("x")\npermit (principal, action == Action::"readThread", resource is Thread);\n',
      'odd.cedar':
        '// a comment\n\n@id("peek") @reason("x")\npermit (principal, action == Action::"readThread", resource is Thread)\nwhen { resource.secret };\n',
    });
    const problems = await problemsOf({ labels: CLINIC_LABELS, policiesDir: dir });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 5, policyId: 'peek' });
    expect(problems[0]?.file).toMatch(/odd\.cedar$/);
    expect(problems[0]?.message).toMatch(/policy "peek": .*attribute `secret`/);
    await expect(loadWorkspacePolicySet({ labels: CLINIC_LABELS, policiesDir: dir })).rejects.toThrow(
      /odd\.cedar:5: policy "peek"/,
    );
  });

  it('parse errors, missing annotations and ids taken by generated policies, every one with its place', async () => {
    const dir = await tempDir({
      'a.cedar':
        '@id("ok") @reason("x")\npermit (principal, action, resource);\n\n@id("bad") @reason("x")\npermit (principal action, resource);\n',
      'b.cedar':
        '\n@id("label-patient-record-readers") @reason("mine")\npermit (principal, action, resource);\n' +
        '@id("quiet")\npermit (principal, action, resource);\n',
    });
    const problems = await problemsOf({ labels: CLINIC_LABELS, policiesDir: dir });
    const lines = problems.map((problem) => `${problem.file.replace(/^.*\//, '')}:${problem.line}: ${problem.message}`);
    expect(lines).toEqual([
      expect.stringMatching(/^a\.cedar:5: does not parse/),
      'b.cedar:2: duplicate @id("label-patient-record-readers"), already used in behalf.yaml labels[0].readers (generated from the label catalogue or admins)',
      'b.cedar:4: policy "quiet" has no @reason("…") annotation',
    ]);
  });

  it('a kind the catalogue does not declare is a problem (a typo would never match)', async () => {
    const dir = await tempDir({
      'typo.cedar':
        '@id("typo") @reason("x")\nforbid (principal, action == Action::"readLabel", resource is Label)\n' +
        'when {\n  resource.kind == "patient-recrod"\n};\n' +
        '@id("set") @reason("x")\npermit (principal, action == Action::"recordStatement", resource is Label)\n' +
        'when { ["ward:{ward}", "ward"].contains(resource.kind) };\n',
    });
    const problems = await problemsOf({ labels: CLINIC_LABELS, policiesDir: dir });
    expect(problems.map((problem) => [problem.line, problem.policyId])).toEqual([
      [4, 'typo'],
      [8, 'set'],
    ]);
    expect(problems[0]?.message).toMatch(/"patient-recrod", which is not in the label catalogue/);
    expect(problems[1]?.message).toMatch(/"ward", which is not/);
  });

  it('a missing policies folder is a problem; an empty one is not', async () => {
    const missing = await problemsOf({ labels: [], policiesDir: join(tmpdir(), 'behalf-no-such-policies') });
    expect(missing[0]?.message).toMatch(/cannot be read \(ENOENT\)/);
    expect((await checkWorkspacePolicies({ labels: [], policiesDir: await tempDir() })).ok).toBe(true);
  });

  it('catalogue problems name behalf.yaml, the key and its line', async () => {
    const dir = await tempDir({
      'behalf.yaml':
        'name: Clinic\nlabels:\n  - { id: patient-record, readers: [doctors] }\n  - id: "ward:{ward}"\n    readers: ["ward-{wrd}"]\nadmins: [admins]\n',
    });
    const options = await readWorkspacePolicyOptions(dir);
    const problems = await problemsOf(options);
    expect(problems).toEqual([
      {
        file: expect.stringMatching(/behalf\.yaml$/),
        line: 5,
        path: 'labels[1].readers[0]',
        message: `"ward-{wrd}" names {wrd}; the label's parameters are {ward}`,
      },
    ]);
    await expect(loadWorkspacePolicySet(options)).rejects.toBeInstanceOf(AppError);
  });
});

describe('the example workspace, the default one', () => {
  it('loads through the same path as any workspace, and is the default set', async () => {
    const set = await loadWorkspacePolicySet(await readWorkspacePolicyOptions(defaultWorkspaceDir()));
    expect(set.policies).toEqual(await loadPolicyDirectory());
    expect(set.sources['auditors-read-audit-log']).toMatchObject({ origin: 'workspace' });
    expect(set.sources['label-hr-confidential-readers']).toMatchObject({
      origin: 'catalogue',
      key: 'labels[1].readers',
    });
    expect(set.sources['label-hr-confidential-readers']?.line).toBeGreaterThan(0);
  });

  // Today's decisions (SPEC §4), written out by hand: every person × label × read and declassify.
  const CLEARED: Record<string, string> = {
    public: 'alice bob carol dana erin frank gus ivy',
    'hr-confidential': 'alice dana',
    'exec-confidential': 'dana erin',
    'engineering-internal': 'carol dana erin frank',
    'sales-pipeline:emea': 'bob dana erin',
    'sales-pipeline:apac': 'dana erin gus',
    'sales-pipeline:amer': 'dana erin',
    'sales-pipeline:EMEA': '',
    unclassified: '',
  };
  const STEWARDS: Record<string, string> = {
    public: 'alice bob carol dana erin frank gus ivy',
    'hr-confidential': 'alice',
    'exec-confidential': 'dana erin',
    'engineering-internal': 'frank',
    'sales-pipeline:emea': 'erin',
    'sales-pipeline:apac': 'erin',
    'sales-pipeline:amer': 'erin',
    'sales-pipeline:EMEA': '',
    unclassified: '',
  };

  it('gives the same decisions as before the catalogue, through an explicitly loaded set', async () => {
    const set = await loadWorkspacePolicySet(await readWorkspacePolicyOptions(defaultWorkspaceDir()));
    const resolver = createMemoryEntityResolver({
      users: EXAMPLE_USERS.map((user) => ({ id: user.id, groups: [...user.groups] })),
    });
    const engine = await createCedarPolicyEngine({ ...set, labels: set.catalogue, resolver });
    for (const [action, table] of [
      ['readLabel', CLEARED],
      ['declassifyLabel', STEWARDS],
    ] as const) {
      for (const [id, allowed] of Object.entries(table)) {
        const got = [];
        for (const user of EXAMPLE_USERS) {
          if ((await decide(engine, user.id, action, label(id))).effect === 'allow') got.push(user.id);
        }
        expect(`${action} ${id}: ${got.join(' ')}`).toBe(`${action} ${id}: ${allowed}`);
      }
    }
    const auditLog = { type: 'AuditLog', id: 'global' } as const;
    const readers = [];
    for (const user of EXAMPLE_USERS) {
      if ((await decide(engine, user.id, 'readAuditLog', auditLog)).effect === 'allow') readers.push(user.id);
    }
    expect(readers).toEqual(['ivy']);
    expect((await decide(engine, 'dana', 'provisionAgent', { type: 'AgentDirectory', id: 'global' })).effect).toBe(
      'allow',
    );
    expect((await decide(engine, 'erin', 'provisionAgent', { type: 'AgentDirectory', id: 'global' })).effect).toBe(
      'deny',
    );
  });
});
