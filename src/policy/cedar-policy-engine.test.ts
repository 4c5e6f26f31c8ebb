import { describe, expect, it, vi } from 'vitest';
import { createExampleEntityResolver, createExampleTestEngine } from '../../test/support/example-workspace.ts';
import { testAgent } from '../../test/support/policy-testing.ts';
import { AppError } from '../protocol/errors.ts';
import { createCedarPolicyEngine } from './cedar-policy-engine.ts';
import { loadPolicyDirectory } from './policy-loader.ts';
import type { AuthorizationRequest, EntityResolver, PolicyAction, PolicyEngine } from './types.ts';

const THREAD = { type: 'Thread', id: 'thr_q3_planning' } as const;

const asUser = (id: string, action: PolicyAction, resource: AuthorizationRequest['resource'], viaAgent = false) =>
  ({ principal: { type: 'User', id }, action, resource, context: { viaAgent } }) satisfies AuthorizationRequest;

const effects = async (engine: PolicyEngine, requests: AuthorizationRequest[]) =>
  (await engine.authorizeMany(requests)).map((decision) => decision.effect);

describe('threads: members read, post and invoke; the owner manages', () => {
  it.each([
    ['alice', ['allow', 'allow', 'allow', 'allow']],
    ['bob', ['allow', 'allow', 'allow', 'deny']],
    ['carol', ['allow', 'allow', 'allow', 'deny']],
    ['dana', ['deny', 'deny', 'deny', 'deny']],
    ['ivy', ['deny', 'deny', 'deny', 'deny']],
  ])('%s', async (user, expected) => {
    const { engine } = await createExampleTestEngine();
    const actions: PolicyAction[] = ['readThread', 'postMessage', 'invokeAgent', 'manageThread'];
    expect(
      await effects(
        engine,
        actions.map((action) => asUser(user, action, THREAD)),
      ),
    ).toEqual(expected);
  });
});

describe('tools', () => {
  it('every user may use every demo tool, directly or via the agent', async () => {
    const { engine } = await createExampleTestEngine();
    for (const tool of ['sql', 'search_documents', 'get_document', 'create_ticket']) {
      for (const user of ['alice', 'bob', 'ivy']) {
        expect(await engine.authorize(asUser(user, 'useTool', { type: 'Tool', id: tool }, true))).toMatchObject({
          effect: 'allow',
          policies: ['users-use-tools'],
        });
      }
    }
  });

  it('a write via the agent needs approval (agent-writes-need-approval); a direct write does not', async () => {
    const { engine } = await createExampleTestEngine();
    const ticket = { type: 'Tool', id: 'create_ticket' } as const;
    expect(await engine.authorize(asUser('bob', 'useToolUnattended', ticket, true))).toEqual({
      effect: 'deny',
      policies: ['agent-writes-need-approval'],
      reason: "Write tools need the requester's approval when the agent calls them",
    });
    expect(await engine.authorize(asUser('bob', 'useToolUnattended', ticket, false))).toMatchObject({
      effect: 'allow',
      policies: ['tools-run-unattended'],
    });
    expect((await engine.authorize(asUser('bob', 'useToolUnattended', { type: 'Tool', id: 'sql' }, true))).effect).toBe(
      'allow',
    );
  });

  it('an unknown tool is denied', async () => {
    const { engine } = await createExampleTestEngine();
    expect(await engine.authorize(asUser('bob', 'useTool', { type: 'Tool', id: 'rm_rf' }))).toEqual({
      effect: 'deny',
      policies: [],
      reason: 'Unknown tool rm_rf',
    });
  });
});

describe('self mode: the Agent principal holds exactly its agentGroups', () => {
  const agent = (action: PolicyAction, resource: AuthorizationRequest['resource']): AuthorizationRequest => ({
    principal: { type: 'Agent', threadId: THREAD.id },
    action,
    resource,
    context: { viaAgent: true, mode: 'self' },
  });

  it('with an agent identity holding [engineering]', async () => {
    const { engine, resolver } = await createExampleTestEngine();
    resolver.putThread({
      id: THREAD.id,
      ownerId: 'alice',
      members: ['alice', 'bob', 'carol'],
      agent: testAgent(['engineering']),
    });
    const label = (id: string) => agent('readLabel', { type: 'Label', id });
    const document = (id: string) => agent('readDocument', { type: 'Document', id });
    expect(
      await effects(engine, [
        label('public'),
        label('engineering-internal'),
        label('hr-confidential'),
        label('exec-confidential'),
        label('sales-pipeline:emea'),
        document('doc-outage-postmortem'),
        document('doc-handbook'),
        document('doc-comp-bands'),
        agent('useTool', { type: 'Tool', id: 'sql' }),
        agent('readThread', THREAD),
        agent('manageThread', THREAD),
        agent('readAuditLog', { type: 'AuditLog', id: 'global' }),
      ]),
    ).toEqual(['allow', 'allow', 'deny', 'deny', 'deny', 'allow', 'allow', 'deny', 'allow', 'deny', 'deny', 'deny']);
  });

  it('never writes unattended, whatever the context says', async () => {
    const { engine } = await createExampleTestEngine();
    const request = agent('useToolUnattended', { type: 'Tool', id: 'create_ticket' });
    const decision = await engine.authorize({ ...request, context: { viaAgent: false, mode: 'self' } });
    expect(decision).toMatchObject({ effect: 'deny', policies: ['agent-writes-need-approval'] });
  });

  it('a change of the agent identity applies to the next decision', async () => {
    const { engine, resolver } = await createExampleTestEngine();
    const request = agent('readLabel', { type: 'Label', id: 'hr-confidential' });
    expect((await engine.authorize(request)).reason).toBe(
      'No policy allows agent:unassigned@thr_q3_planning to readLabel hr-confidential',
    );
    expect((await engine.authorize(request)).effect).toBe('deny');
    resolver.putThread({ id: THREAD.id, ownerId: 'alice', members: ['alice'], agent: testAgent(['hr']) });
    expect((await engine.authorize(request)).effect).toBe('allow');
  });
});

describe('I3: decisions follow the current policy and entities, memoized or not', () => {
  it('a policy update takes effect on the next decision, even after a memoized one', async () => {
    const { engine } = await createExampleTestEngine();
    const request = asUser('bob', 'readLabel', { type: 'Label', id: 'hr-confidential' });
    expect((await engine.authorize(request)).effect).toBe('deny');
    expect((await engine.authorize(request)).effect).toBe('deny');
    const before = engine.version;
    await engine.update({
      ...engine.policies(),
      'bob-reads-hr':
        '@id("bob-reads-hr") @reason("Bob covers HR") permit (principal == User::"bob", action == Action::"readLabel", resource == Label::"hr-confidential");',
    });
    expect(engine.version).not.toBe(before);
    expect(await engine.authorize(request)).toEqual({
      effect: 'allow',
      policies: ['bob-reads-hr'],
      reason: 'Bob covers HR',
    });
  });

  it('revoking a permit denies the next decision', async () => {
    const { engine } = await createExampleTestEngine();
    const request = asUser('bob', 'readThread', THREAD);
    expect((await engine.authorize(request)).effect).toBe('allow');
    const { 'thread-members-read': _revoked, ...rest } = engine.policies();
    await engine.update(rest);
    expect((await engine.authorize(request)).effect).toBe('deny');
  });

  it('removing bob from the thread (version bumped) denies his next readThread', async () => {
    const { engine, resolver } = await createExampleTestEngine();
    const request = asUser('bob', 'readThread', THREAD);
    expect((await engine.authorize(request)).effect).toBe('allow');
    expect((await engine.authorize(request)).effect).toBe('allow');
    resolver.setThreadMembers(THREAD.id, ['alice', 'carol']);
    expect(await engine.authorize(request)).toEqual({
      effect: 'deny',
      policies: [],
      reason: 'No policy allows bob to readThread thr_q3_planning',
    });
  });

  it('a change of a user’s groups applies to the next decision', async () => {
    const { engine, resolver } = await createExampleTestEngine();
    const request = asUser('carol', 'readLabel', { type: 'Label', id: 'engineering-internal' });
    expect((await engine.authorize(request)).effect).toBe('allow');
    resolver.putUser({ id: 'carol', groups: [] });
    expect((await engine.authorize(request)).effect).toBe('deny');
  });

  it('a memoized decision cannot be edited by a caller', async () => {
    const { engine } = await createExampleTestEngine();
    const request = asUser('bob', 'readThread', THREAD);
    const first = await engine.authorize(request);
    first.policies.push('forged');
    (first as { effect: string }).effect = 'deny';
    expect(await engine.authorize(request)).toMatchObject({ effect: 'allow', policies: ['thread-members-read'] });
  });
});

describe('policy updates are validated', () => {
  const refusals: [string, Record<string, string>, RegExp][] = [
    [
      'a syntax error',
      { broken: '@id("broken") @reason("x") permit (principal action, resource);' },
      /broken: .*unexpected token/,
    ],
    [
      'an unknown entity type',
      { robot: '@id("robot") @reason("x") permit (principal is Robot, action, resource);' },
      /robot: .*unrecognized entity type `Robot`/,
    ],
    [
      'an unknown attribute',
      {
        attr: '@id("attr") @reason("x") permit (principal, action == Action::"readThread", resource is Thread) when { resource.secret };',
      },
      /attr: .*attribute `secret`/,
    ],
    [
      'an @id that differs from its key',
      { one: '@id("two") @reason("x") permit (principal, action, resource);' },
      /does not match the key "one"/,
    ],
    ['a policy without @id', { none: '@reason("x") permit (principal, action, resource);' }, /none: missing @id/],
    [
      'two policies under one key',
      { pair: '@id("pair") permit (principal, action, resource); forbid (principal, action, resource);' },
      /pair: /,
    ],
    ['a template', { slot: '@id("slot") permit (principal == ?principal, action, resource);' }, /slot: .*template/],
    ['an empty set', {}, /empty/],
  ];

  it.each(refusals)('refuses %s and keeps the old set in force', async (_name, poisoned, message) => {
    const { engine } = await createExampleTestEngine();
    const before = { version: engine.version, policies: engine.policies() };
    // Poison added to the good set (an empty set is refused on its own).
    const candidate = Object.keys(poisoned).length > 0 ? { ...engine.policies(), ...poisoned } : poisoned;
    const error = await engine.update(candidate).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'policy_invalid' });
    expect((error as AppError).message).toMatch(message);
    expect(engine.version).toBe(before.version);
    expect(engine.policies()).toEqual(before.policies);
    expect((await engine.authorize(asUser('bob', 'readThread', THREAD))).effect).toBe('allow');
  });

  it('refuses an invalid initial set and an invalid schema', async () => {
    const resolver = createExampleEntityResolver();
    await expect(createCedarPolicyEngine({ policies: {}, resolver })).rejects.toMatchObject({ code: 'policy_invalid' });
    const policies = await loadPolicyDirectory();
    await expect(createCedarPolicyEngine({ policies, resolver, schema: 'entity User in [' })).rejects.toMatchObject({
      code: 'policy_invalid',
    });
  });
});

describe('fail closed', () => {
  it('a resolver that throws denies with no policies and reports the error', async () => {
    const failing = new Error('connection refused to db://secret@host');
    const resolver: EntityResolver = {
      ...createExampleEntityResolver(),
      user: () => Promise.reject(failing),
    };
    const onError = vi.fn();
    const engine = await createCedarPolicyEngine({ policies: await loadPolicyDirectory(), resolver, onError });
    const decision = await engine.authorize(asUser('bob', 'readThread', THREAD));
    expect(decision).toMatchObject({ effect: 'deny', policies: [] });
    expect(decision.reason).toMatch(/fail closed/);
    expect(decision.reason).not.toMatch(/secret/);
    expect(onError).toHaveBeenCalledWith(failing, asUser('bob', 'readThread', THREAD));
  });

  it.each([
    ['an unknown user', asUser('mallory', 'readThread', THREAD), 'Unknown user mallory'],
    ['an unknown thread', asUser('bob', 'readThread', { type: 'Thread', id: 'nope' }), 'Unknown thread nope'],
    ['an unknown document', asUser('bob', 'readDocument', { type: 'Document', id: 'nope' }), 'Unknown document nope'],
    ['an unknown message', asUser('bob', 'shareAnswer', { type: 'Message', id: 'nope' }), 'Unknown message nope'],
    [
      'an agent of an unknown thread',
      {
        principal: { type: 'Agent', threadId: 'nope' },
        action: 'readLabel',
        resource: { type: 'Label', id: 'public' },
      } as AuthorizationRequest,
      'Unknown thread nope for the agent principal',
    ],
  ])('%s is denied', async (_name, request, reason) => {
    const { engine } = await createExampleTestEngine();
    expect(await engine.authorize(request)).toEqual({ effect: 'deny', policies: [], reason });
  });

  it('an action outside the schema, or a resource of the wrong type, is denied by Cedar', async () => {
    const { engine } = await createExampleTestEngine();
    const bogus = asUser('bob', 'launchMissiles' as PolicyAction, THREAD);
    const mismatched = asUser('bob', 'readThread', { type: 'Label', id: 'public' });
    for (const request of [bogus, mismatched]) {
      const decision = await engine.authorize(request);
      expect(decision).toMatchObject({ effect: 'deny', policies: [] });
      expect(decision.reason).toMatch(/refused by Cedar/);
    }
  });
});

describe('memoization', () => {
  const percentile = (samples: number[], p: number) =>
    [...samples].sort((a, b) => a - b)[Math.floor(samples.length * p)] ?? 0;

  async function timings(engine: PolicyEngine, request: AuthorizationRequest, count: number) {
    const samples: number[] = [];
    for (let index = 0; index < count; index += 1) {
      const start = performance.now();
      await engine.authorize(request);
      samples.push((performance.now() - start) * 1000);
    }
    return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99) };
  }

  it('a memo hit costs microseconds; a miss runs Cedar', async () => {
    const request = asUser('erin', 'readDocument', { type: 'Document', id: 'doc-emea-pipeline' });
    const { engine: memoized } = await createExampleTestEngine();
    const { engine: uncached } = await createExampleTestEngine({ cacheSize: 0 });
    await timings(memoized, request, 200);
    await timings(uncached, request, 50);
    const hit = await timings(memoized, request, 2000);
    const miss = await timings(uncached, request, 300);
    console.info(
      `decision miss p50 ${miss.p50.toFixed(1)} µs p99 ${miss.p99.toFixed(1)} µs; ` +
        `hit p50 ${hit.p50.toFixed(1)} µs p99 ${hit.p99.toFixed(1)} µs`,
    );
    expect(hit.p50).toBeLessThan(20);
    expect(hit.p50).toBeLessThan(miss.p50);
  });
});
