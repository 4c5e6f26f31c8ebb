import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createExampleTestEngine, EXAMPLE_LABELS, EXAMPLE_USERS } from '../../test/support/example-workspace.ts';
import { type MemoryEntityResolver, testAgent } from '../../test/support/policy-testing.ts';
import { aclLabelFor } from './label-entity.ts';
import type { PolicyAction, PolicyEngine } from './types.ts';

// Expected rights of the example workspace’s people (SPEC §4), written out by hand rather than derived.
const EVERYONE = EXAMPLE_USERS.map((user) => user.id);

const CLEARED: Record<(typeof EXAMPLE_LABELS)[number], string[]> = {
  public: EVERYONE,
  'hr-confidential': ['alice', 'dana'],
  'exec-confidential': ['dana', 'erin'],
  'engineering-internal': ['carol', 'dana', 'erin', 'frank'],
  'sales-pipeline:emea': ['bob', 'dana', 'erin'],
  'sales-pipeline:apac': ['dana', 'erin', 'gus'],
  'sales-pipeline:amer': ['dana', 'erin'],
};

const STEWARDS: Record<(typeof EXAMPLE_LABELS)[number], string[]> = {
  public: EVERYONE,
  'hr-confidential': ['alice'],
  'exec-confidential': ['dana', 'erin'],
  'engineering-internal': ['frank'],
  'sales-pipeline:emea': ['erin'],
  'sales-pipeline:apac': ['erin'],
  'sales-pipeline:amer': ['erin'],
};

const DOCUMENT_ACL: Record<string, string[]> = {
  'doc-handbook': EVERYONE,
  'doc-vendor-faq': EVERYONE,
  'doc-comp-bands': ['alice', 'dana'],
  'doc-board-deck': ['dana', 'erin'],
  'doc-emea-pipeline': ['bob', 'erin', 'gus'],
  'doc-outage-postmortem': ['carol', 'frank'],
};

let engine: PolicyEngine;
let resolver: MemoryEntityResolver;

beforeAll(async () => {
  ({ engine, resolver } = await createExampleTestEngine());
});

const ask = (user: string, action: PolicyAction, type: 'Label' | 'Document', id: string) =>
  engine.authorize({
    principal: { type: 'User', id: user },
    action,
    resource: { type, id },
    context: { viaAgent: false },
  });

function table(expected: Record<string, string[]>) {
  return Object.entries(expected).flatMap(([resource, allowed]) =>
    EVERYONE.map((user) => ({ user, resource, allowed: allowed.includes(user) })),
  );
}

describe('readLabel: the clearance table of SPEC §4', () => {
  it.each(table(CLEARED))('$user on $resource → allowed: $allowed', async ({ user, resource, allowed }) => {
    const decision = await ask(user, 'readLabel', 'Label', resource);
    expect(decision.effect).toBe(allowed ? 'allow' : 'deny');
    if (allowed) expect(decision.policies.length).toBeGreaterThan(0);
    else expect(decision.reason).toBe(`No policy allows ${user} to readLabel ${resource}`);
  });

  it('names the policy that cleared the reader', async () => {
    expect((await ask('bob', 'readLabel', 'Label', 'sales-pipeline:emea')).policies).toEqual([
      'label-sales-pipeline-region-readers',
    ]);
    expect((await ask('dana', 'readLabel', 'Label', 'hr-confidential')).policies).toEqual([
      'label-hr-confidential-readers',
    ]);
    expect((await ask('erin', 'readLabel', 'Label', 'sales-pipeline:apac')).policies.sort()).toEqual([
      'label-sales-pipeline-region-readers',
      'label-sales-pipeline-sales-managers',
    ]);
  });

  it.each([
    'secret',
    'Public',
    'sales-pipeline',
    'sales-pipeline:',
    'sales-pipeline:EMEA',
    'sales-pipeline:../hr',
    'sales-pipeline:emea:x',
    'sales-pipeline:{region}',
    'hr-confidential:x',
    'unclassified',
  ])('unknown label %s fails closed, even for execs', async (label) => {
    for (const user of ['dana', 'erin', 'ivy']) {
      const decision = await ask(user, 'readLabel', 'Label', label);
      expect(decision).toMatchObject({ effect: 'deny', policies: ['unknown-label-fails-closed'] });
    }
  });
});

describe('declassifyLabel: only stewards', () => {
  it.each(table(STEWARDS))('$user on $resource → allowed: $allowed', async ({ user, resource, allowed }) => {
    expect((await ask(user, 'declassifyLabel', 'Label', resource)).effect).toBe(allowed ? 'allow' : 'deny');
  });

  it('nobody declassifies an unknown label', async () => {
    expect(await ask('dana', 'declassifyLabel', 'Label', 'mystery')).toMatchObject({
      effect: 'deny',
      policies: ['unknown-label-fails-closed'],
    });
  });
});

describe('readDocument: the ACL alone (clearance is a separate readLabel decision)', () => {
  it.each(table(DOCUMENT_ACL))('$user on $resource → allowed: $allowed', async ({ user, resource, allowed }) => {
    expect((await ask(user, 'readDocument', 'Document', resource)).effect).toBe(allowed ? 'allow' : 'deny');
  });

  it('gus passes the EMEA notes ACL (sales) but not their label: combined, he cannot read them', async () => {
    expect((await ask('gus', 'readDocument', 'Document', 'doc-emea-pipeline')).effect).toBe('allow');
    expect((await ask('gus', 'readLabel', 'Label', 'sales-pipeline:emea')).effect).toBe('deny');
  });

  it('admits a user named in the ACL and ignores malformed ACL entries', async () => {
    resolver.putDocument({ id: 'doc-x', label: 'public', readers: ['user:ivy', 'group:', 'bogus', 'user:'] });
    expect((await ask('ivy', 'readDocument', 'Document', 'doc-x')).policies).toEqual(['document-reader-users']);
    expect((await ask('bob', 'readDocument', 'Document', 'doc-x')).effect).toBe('deny');
  });
});

describe('readAuditLog and shareAnswer', () => {
  it.each(EVERYONE)('%s reads the audit log only as an auditor', async (user) => {
    const decision = await engine.authorize({
      principal: { type: 'User', id: user },
      action: 'readAuditLog',
      resource: { type: 'AuditLog', id: 'global' },
    });
    expect(decision.effect).toBe(user === 'ivy' ? 'allow' : 'deny');
  });

  it('only the requester shares an answer; a human post has no requester to share it', async () => {
    resolver.putMessage({ id: 'msg-1', threadId: 't', requesterId: 'bob', labels: ['sales-pipeline:emea'] });
    resolver.putMessage({ id: 'msg-2', threadId: 't', requesterId: null, labels: ['public'] });
    const share = (user: string, id: string) =>
      engine.authorize({
        principal: { type: 'User', id: user },
        action: 'shareAnswer',
        resource: { type: 'Message', id },
      });
    expect(await share('bob', 'msg-1')).toMatchObject({ effect: 'allow', policies: ['requester-shares-answer'] });
    for (const user of ['alice', 'erin', 'dana']) expect((await share(user, 'msg-1')).effect).toBe('deny');
    for (const user of EVERYONE) expect((await share(user, 'msg-2')).effect).toBe('deny');
  });
});

/** An independent statement of the clearance table, for the property below. */
function clearedBy(groups: ReadonlySet<string>, label: string): boolean {
  const any = (...names: string[]) => names.some((name) => groups.has(name));
  switch (label) {
    case 'public':
      return true;
    case 'hr-confidential':
      return any('hr', 'finance');
    case 'engineering-internal':
      return any('engineering', 'execs');
    case 'exec-confidential':
      return any('execs');
  }
  // A parameter value is one lower-case token (LABEL_PARAMETER_VALUE); anything else is unknown.
  const region = /^sales-pipeline:([a-z0-9][a-z0-9._-]{0,63})$/.exec(label)?.[1];
  if (region === undefined) return false;
  return any(`sales-${region}`, 'execs', 'finance') || (groups.has('sales') && groups.has('managers'));
}

const GROUPS = [
  'hr',
  'finance',
  'sales',
  'managers',
  'execs',
  'engineering',
  'auditors',
  'sales-emea',
  'sales-apac',
  'sales-amer',
  'sales-latam',
  'sales-pipeline',
  'public',
];
const LABELS = [
  ...EXAMPLE_LABELS,
  'sales-pipeline:latam',
  'sales-pipeline:emea.2',
  'sales-pipeline:../hr',
  'sales-pipeline:emea/x',
  'sales-pipeline',
  'sales-pipeline:',
  'secret',
  'Public',
  'exec-confidential ',
];

describe('property: readLabel allows exactly what the clearance table says', () => {
  it('for random people, groups and labels (User and self-mode Agent alike)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.constantFrom(...GROUPS)),
        fc.oneof(fc.constantFrom(...LABELS), fc.string({ maxLength: 24 })),
        fc.boolean(),
        async (groups, label, asAgent) => {
          run += 1;
          const id = `p${run}`;
          if (asAgent) resolver.putThread({ id, ownerId: 'alice', members: [], agent: testAgent(groups) });
          else resolver.putUser({ id, groups });
          const decision = await engine.authorize({
            principal: asAgent ? { type: 'Agent', threadId: id } : { type: 'User', id },
            action: 'readLabel',
            resource: { type: 'Label', id: label },
            context: { viaAgent: asAgent },
          });
          expect(decision.effect === 'allow').toBe(clearedBy(new Set(groups), label));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('document ACL labels', () => {
  it('clears exactly the people the document ACL admits, and fails closed on a malformed ACL label', async () => {
    const { engine } = await createExampleTestEngine();
    const cleared = async (user: string, label: string) =>
      (
        await engine.authorize({
          principal: { type: 'User', id: user },
          action: 'readLabel',
          resource: { type: 'Label', id: label },
          context: { viaAgent: false },
        })
      ).effect;
    const postmortem = aclLabelFor(['group:engineering']) as string;
    expect(postmortem).toBe('acl:group:engineering');
    expect(await cleared('carol', postmortem)).toBe('allow');
    // dana is cleared for engineering-internal, but could not have opened the postmortem herself.
    expect(await cleared('dana', postmortem)).toBe('deny');
    expect(await cleared('bob', 'acl:group:finance,user:bob')).toBe('allow');
    expect(await cleared('bob', 'acl:group:finance,user:alice')).toBe('deny');
    expect(await cleared('carol', 'acl:group:Engineering')).toBe('deny');
    expect(await cleared('carol', 'acl:')).toBe('deny');
    expect(aclLabelFor(['everyone', 'group:hr'])).toBeUndefined();
  });
});
