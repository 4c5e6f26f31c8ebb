import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../audit/types.ts';
import type { AgentIdentity, User } from '../identity/types.ts';
import type { AuthorizationRequest, Decision, PolicyEngine } from '../policy/types.ts';
import { WorkspaceConfigSchema } from '../workspace/workspace-config.ts';
import { administersByPolicy, createWorkspaceAdmin, exampleLabelIds, isInAdminGroup } from './workspace-admin.ts';

const person = (id: string, groups: string[]): User => ({
  id,
  name: id.toUpperCase(),
  title: '',
  groups,
  managerId: null,
  email: null,
  attributes: {},
  active: true,
  userName: null,
  externalId: null,
  deletedAt: null,
  version: 1,
});

const config = WorkspaceConfigSchema.parse({
  name: 'Riverside Clinic',
  admins: ['it'],
  people: [
    { id: 'ana', name: 'Ana', groups: ['doctors', 'ward-3'] },
    { id: 'ben', name: 'Ben', groups: ['nurses', 'ward-4'] },
    { id: 'root', name: 'Root', groups: ['it'] },
  ],
  labels: [
    { id: 'patient-record', description: 'Patient records', readers: ['doctors', 'nurses'], stewards: ['records'] },
    { id: 'ward:{ward}', readers: ['ward-{ward}'] },
  ],
  sources: [
    {
      name: 'clinic',
      url: 'postgres://app:secret@db/clinic',
      identity: { convention: 'postgrest', role: 'authenticated', claims: { sub: '{{user.id}}' } },
      tables: {
        'public.rosters': { labels: ['ward:{ward}'] },
        'public.patients': { labels: ['patient-record'], columns: { diagnosis: ['patient-record'] } },
      },
    },
    {
      name: 'billing',
      url: 'pglite:memory',
      identity: { convention: 'settings', role: 'reader', settings: { 'app.user_id': '{{user.id}}' } },
    },
  ],
});

/** Policies as a table: `ana readLabel patient-record` allows, by `doctors-read`. */
function fakePolicy(
  rules: Record<string, string>,
  texts: Record<string, string> = {
    'doctors-read':
      '@id("doctors-read")\n@reason("Doctors read \\"patient\\" records")\npermit (principal, action, resource);',
  },
): PolicyEngine & { requests: AuthorizationRequest[] } {
  const requests: AuthorizationRequest[] = [];
  const decide = (request: AuthorizationRequest): Decision => {
    requests.push(request);
    const principal = request.principal.type === 'User' ? request.principal.id : request.principal.threadId;
    const policy = rules[`${principal} ${request.action} ${request.resource.type}:${request.resource.id}`];
    return policy
      ? { effect: 'allow', policies: [policy], reason: `because ${policy}` }
      : { effect: 'deny', policies: [], reason: `No policy allows ${principal}` };
  };
  return {
    requests,
    version: 'v1',
    authorize: async (request) => decide(request),
    authorizeMany: async (list) => list.map(decide),
    policies: () => texts,
    update: async () => {},
  };
}

function build(rules: Record<string, string> = {}) {
  const policy = fakePolicy(rules);
  const audit: AuditEntry[] = [];
  const people = [person('ana', ['doctors', 'ward-3']), person('ben', ['nurses', 'ward-4']), person('root', ['it'])];
  const agent: AgentIdentity = {
    id: 'triage',
    name: 'Triage',
    groups: ['nurses'],
    assigners: ['doctors'],
    provisionedBy: 'root',
    createdAt: 5,
    version: 1,
  };
  const admin = createWorkspaceAdmin({
    config: () => config,
    policy,
    people: { get: async (id) => people.find((each) => each.id === id), list: async () => people },
    agents: { list: async () => [agent] },
    audit: {
      append: async (entry) => {
        audit.push(entry);
        return { ...entry, seq: audit.length, id: `aud_${audit.length}`, at: 0, prevHash: '', hash: '' };
      },
    },
    doctor: async () => [
      { severity: 'warning', area: 'labels', message: 'w', fix: 'f1' },
      { severity: 'error', area: 'sources', message: 'e', fix: 'f2' },
    ],
  });
  return { admin, policy, audit };
}

describe('the label catalogue', () => {
  it('finds examples of a parameterized label among the groups its audience names', () => {
    const groups = ['ward-3', 'ward-4', 'doctors', 'ward-', 'sales-emea'];
    expect(exampleLabelIds({ id: 'ward:{ward}', readers: ['ward-{ward}', 'doctors'] }, groups)).toEqual([
      'ward:3',
      'ward:4',
    ]);
    expect(exampleLabelIds({ id: 'patient-record', readers: ['doctors'] }, groups)).toEqual([]);
    expect(exampleLabelIds({ id: 'ward:{ward}', readers: ['doctors'] }, groups)).toEqual([]);
  });

  it('the policies decide who administers once they speak of the administer action', async () => {
    const plain = fakePolicy({ 'root administer Workspace:global': 'admins-administer-workspace' });
    expect(await administersByPolicy(plain, 'root')).toBeUndefined();
    expect(plain.requests).toEqual([]);
    const withAdminister = fakePolicy(
      { 'root administer Workspace:global': 'admins-administer-workspace' },
      { 'admins-administer-workspace': 'permit (principal, action == Action::"administer", resource);' },
    );
    expect(await administersByPolicy(withAdminister, 'root')).toBe(true);
    expect(await administersByPolicy(withAdminister, 'ana')).toBe(false);
  });

  it('admins are members of the workspace’s admins groups', () => {
    expect(isInAdminGroup({ groups: ['it', 'x'] }, { admins: ['it'] })).toBe(true);
    expect(isInAdminGroup({ groups: ['doctors'] }, { admins: ['it'] })).toBe(false);
    expect(isInAdminGroup({ groups: ['it'] }, { admins: [] })).toBe(false);
  });
});

describe('createWorkspaceAdmin', () => {
  it('gives administrators the overview, with clearance decided per person by the policy engine', async () => {
    const { admin } = build({
      'ana readLabel Label:patient-record': 'doctors-read',
      'ben readLabel Label:patient-record': 'nurses-read',
      'ana readLabel Label:ward:3': 'ward-read',
      'ben readLabel Label:ward:4': 'ward-read',
      'root declassifyLabel Label:patient-record': 'records-steward',
    });
    expect(await admin.isAdmin('root')).toBe(true);
    expect(await admin.isAdmin('ana')).toBe(false);
    expect(await admin.isAdmin('ghost')).toBe(false);
    expect(admin.name()).toBe('Riverside Clinic');

    const overview = await admin.overview('root');
    expect(overview.workspace).toEqual({ name: 'Riverside Clinic', description: null, admins: ['it'] });
    expect(overview.sources.map((source) => [source.name, source.tool])).toEqual([
      ['clinic', 'sql'],
      ['billing', 'sql_billing'],
    ]);
    expect(JSON.stringify(overview.sources)).not.toContain('secret');
    expect(overview.sources[0]?.tables).toEqual([
      {
        name: 'public.patients',
        description: null,
        labels: ['patient-record'],
        columns: { diagnosis: ['patient-record'] },
      },
      { name: 'public.rosters', description: null, labels: ['ward:{ward}'], columns: {} },
    ]);
    expect(overview.labels).toEqual([
      {
        id: 'patient-record',
        description: 'Patient records',
        readers: ['doctors', 'nurses'],
        stewards: ['records'],
        parameters: [],
        clearance: [{ label: 'patient-record', cleared: ['ana', 'ben'], stewards: ['root'] }],
      },
      {
        id: 'ward:{ward}',
        description: null,
        readers: ['ward-{ward}'],
        stewards: [],
        parameters: ['ward'],
        clearance: [
          { label: 'ward:3', cleared: ['ana'], stewards: [] },
          { label: 'ward:4', cleared: ['ben'], stewards: [] },
        ],
      },
    ]);
    expect(overview.agents).toEqual([
      { id: 'triage', name: 'Triage', groups: ['nurses'], assigners: ['doctors'], provisionedBy: 'root', createdAt: 5 },
    ]);
    expect(overview.policies.map((policy) => policy.name)).toEqual(['doctors-read']);
    expect(overview.findings.map((finding) => finding.severity)).toEqual(['error', 'warning']);
  });

  it('refuses everyone else (forbidden)', async () => {
    const { admin, audit } = build();
    await expect(admin.overview('ana')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      admin.decide('ana', { principal: 'ana', action: 'readLabel', resource: 'label:patient-record' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ requester: 'ana', action: 'admin.decide', decision: 'deny' });
  });

  it('decides through the engine with the policies’ reasons, and audits each decision', async () => {
    const { admin, audit, policy } = build({ 'ana readLabel Label:patient-record': 'doctors-read' });
    const allowed = await admin.decide('root', { principal: 'ana', action: 'readLabel', resource: 'patient-record' });
    expect(allowed).toEqual({
      principal: 'ana',
      action: 'readLabel',
      resource: 'Label::"patient-record"',
      viaAgent: false,
      effect: 'allow',
      policies: ['doctors-read'],
      reasons: ['Doctors read "patient" records'],
    });
    expect(policy.requests.at(-1)).toEqual({
      principal: { type: 'User', id: 'ana' },
      action: 'readLabel',
      resource: { type: 'Label', id: 'patient-record' },
      context: { viaAgent: false, mode: 'user' },
    });
    const denied = await admin.decide('root', {
      principal: 'ben',
      action: 'useTool',
      resource: 'Tool::"sql"',
      viaAgent: true,
    });
    expect(denied).toMatchObject({ effect: 'deny', policies: [], reasons: ['No policy allows ben'], viaAgent: true });
    expect(audit.map((entry) => [entry.action, entry.resource, entry.decision, entry.requester])).toEqual([
      ['admin.decide', 'label:patient-record', 'allow', 'root'],
      ['admin.decide', 'tool:sql', 'deny', 'root'],
    ]);
    expect(audit[1]?.reason).toContain('would ben useTool Tool::"sql" via the agent? deny');

    await expect(
      admin.decide('root', { principal: 'ghost', action: 'readLabel', resource: 'label:x' }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
