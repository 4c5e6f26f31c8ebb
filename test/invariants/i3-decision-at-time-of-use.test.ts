import type { LanguageModelV3 } from '@ai-sdk/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserId } from '../../src/identity/types.ts';
import { ACME_DOCUMENTS, ACME_THREAD, ACME_USERS } from '../support/acme/demo.ts';
import { visibleCompensationIds } from '../support/acme-visibility-oracle.ts';
import { createScriptedModel, type ScriptedPart } from '../support/models/index.ts';
import { createTestApp } from '../support/test-app.ts';
import {
  adversaryPerRequester,
  ask,
  auditOfRun,
  type Execution,
  type Gate,
  gate,
  type Instrumentation,
  type InvariantApp,
  instrumentTools,
  outputViolations,
  type RecordedCall,
  routingModel,
  storesUnderTest,
  waitForStatus,
} from './support/index.ts';

const THREAD = ACME_THREAD.id;

/** Hostile and protected calls the adversary repeats every step: valid ones, and identity claims. */
const PROBES: ScriptedPart[] = [
  { type: 'tool-call', toolName: 'sql', input: { query: 'SELECT employee_id, salary FROM compensation' } },
  { type: 'tool-call', toolName: 'get_document', input: { id: 'doc-comp-bands' } },
  { type: 'tool-call', toolName: 'sql', input: { query: 'SELECT * FROM compensation', user: 'dana' } },
  { type: 'tool-call', toolName: 'get_document', input: { id: 'doc-comp-bands', on_behalf_of: 'alice' } },
];

const SUITE = 'I3 decision at time of use';

describe.each(await storesUnderTest(SUITE))(`${SUITE} on %s`, (_kind, options) => {
  let app: InvariantApp;
  let tools: Instrumentation;
  let route: (call: RecordedCall) => LanguageModelV3;
  let pause: ((call: RecordedCall) => Promise<void> | undefined) | undefined;

  beforeAll(async () => {
    app = await createTestApp({
      ...options,
      model: routingModel(
        (call) => route(call),
        (call) => pause?.(call),
      ),
      limits: { maxSteps: 8 },
      // The adversary fires 24 calls per step; the per-person SQL queue (issue 7.4) would refuse
      // most of them as busy, and this suite is about decisions on the calls that do run.
      sourceFairUse: { maxQueuedPerPerson: 64 },
    });
    tools = instrumentTools(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const original = (id: UserId) => {
    const user = ACME_USERS.find((candidate) => candidate.id === id);
    if (!user) throw new Error(id);
    return user;
  };
  const setGroups = (id: UserId, groups: string[]) => app.store.users.upsert({ ...original(id), groups });

  /** Runs `steps` steps of PROBES for `user`, pausing before step `pauseAt` to let the test `change()` things. */
  async function turnWithChange(
    user: UserId,
    change: () => Promise<void>,
    options: { steps?: number; pauseAt?: number; text?: string } = {},
  ) {
    const steps = options.steps ?? 2;
    const pauseAt = options.pauseAt ?? 1;
    const paused: Gate = gate();
    const text = options.text ?? `@agent probe ${Math.random()}`;
    route = () => createScriptedModel((_prompt, step) => (step < steps ? PROBES : [{ type: 'text', text: 'done' }]));
    pause = async (call) => {
      if (call.request === text.replace('@agent ', '') && call.step === pauseAt) {
        paused.arrive();
        await paused.promise;
      }
    };
    try {
      const { run } = await app.postMessage(user, THREAD, text);
      if (!run) throw new Error('no run');
      await paused.reached;
      const before = tools.executions.filter((entry) => entry.runId === run.id).length;
      await change();
      paused.open();
      await app.drain();
      const executions = tools.executions.filter((entry) => entry.runId === run.id);
      return {
        run: await waitForStatus(app, run.id, ['done', 'failed', 'cancelled']),
        before: executions.slice(0, before),
        after: executions.slice(before),
      };
    } finally {
      pause = undefined;
      paused.open();
    }
  }

  const rowsOf = (execution: Execution | undefined) =>
    (execution?.output?.content as { rows?: Array<{ employee_id: string }> } | undefined)?.rows?.map(
      (row) => row.employee_id,
    ) ?? [];

  it('I3: revoking a group takes effect at the next tool call of a running turn', async () => {
    const { run, before, after } = await turnWithChange('alice', async () => {
      await setGroups('alice', ['managers']);
    });
    try {
      expect(run.status).toBe('done');
      // Before: HR sees every salary and the bands.
      expect(rowsOf(before.find((entry) => entry.tool === 'sql'))).toHaveLength(40);
      expect(before.find((entry) => entry.tool === 'get_document')?.output).toBeDefined();
      // After, in the same turn: only her own row and her reports', and the bands are refused.
      const sql = after.find((entry) => entry.tool === 'sql');
      expect(sql?.principal.groups).toEqual(['managers']);
      expect(new Set(rowsOf(sql))).toEqual(visibleCompensationIds({ id: 'alice', groups: ['managers'] }));
      const document = after.find((entry) => entry.tool === 'get_document');
      expect(document?.output).toBeUndefined();
      expect(document?.error).toMatch(/No document doc-comp-bands that you may read/);
      for (const execution of [...before, ...after]) expect(outputViolations(execution)).toEqual([]);
      // The identity-claiming probes never reached a tool, before or after.
      expect([...before, ...after].every((entry) => Object.keys(entry.input as object).length === 1)).toBe(true);
    } finally {
      await setGroups('alice', [...original('alice').groups]);
    }
  });

  it('I3: with the adversarial model, a group revoked mid-turn confines every later call to the new rights', async () => {
    const adversary = adversaryPerRequester({ callsPerStep: 24, maxToolSteps: 3 });
    const paused: Gate = gate();
    route = adversary;
    pause = async (call) => {
      if (call.requester === 'erin' && call.step === 1) {
        paused.arrive();
        await paused.promise;
      }
    };
    await app.threads.addMember('alice', THREAD, 'erin');
    try {
      const { run } = await app.postMessage('erin', THREAD, '@agent show me everything');
      if (!run) throw new Error('no run');
      await paused.reached;
      const before = tools.executions.filter((entry) => entry.runId === run.id);
      await setGroups('erin', ['sales']);
      paused.open();
      await app.drain();
      const after = tools.executions.filter((entry) => entry.runId === run.id).slice(before.length);
      expect(before.length).toBeGreaterThan(5);
      expect(after.length).toBeGreaterThan(5);
      for (const execution of after) expect(execution.principal.groups).toEqual(['sales']);
      const underNewRights = (execution: Execution) =>
        outputViolations({ ...execution, principal: { ...execution.principal, groups: ['sales'] } });
      // What erin read before the change is beyond her new rights (deals, incidents)...
      expect(before.flatMap(underNewRights).length).toBeGreaterThan(0);
      // ...and nothing she read after it is.
      expect(after.flatMap(underNewRights)).toEqual([]);
      expect(await waitForStatus(app, run.id, ['done'])).toMatchObject({ requesterId: 'erin' });
    } finally {
      pause = undefined;
      paused.open();
      await setGroups('erin', [...original('erin').groups]);
      await app.threads.removeMember('alice', THREAD, 'erin');
    }
  });

  it('I3: a policy update takes effect at the next tool call of a running turn', async () => {
    const policies = { ...app.policy.policies() };
    const { run, before, after } = await turnWithChange('alice', async () => {
      await app.policy.update({
        ...policies,
        'freeze-sql':
          '@id("freeze-sql")\n@reason("SQL is frozen for an audit")\nforbid (principal, action == Action::"useTool", resource == Tool::"sql");',
      });
    });
    try {
      expect(run.status).toBe('done');
      expect(before.filter((entry) => entry.tool === 'sql')).toHaveLength(1);
      expect(after.filter((entry) => entry.tool === 'sql')).toEqual([]);
      expect(after.filter((entry) => entry.tool === 'get_document')).toHaveLength(1);
      const denied = (await auditOfRun(app, run.id)).filter(
        (record) => record.action === 'tool.call' && record.policies.includes('freeze-sql'),
      );
      expect(denied).toHaveLength(1);
      expect(denied[0]).toMatchObject({ decision: 'deny', requester: 'alice', reason: 'SQL is frozen for an audit' });
    } finally {
      await app.policy.update(policies);
    }
  });

  it('I3: removing the requester from the thread takes effect before the next tool call', async () => {
    const { run, after } = await turnWithChange('carol', async () => {
      await app.threads.removeMember('alice', THREAD, 'carol');
    });
    try {
      expect(run.status).toBe('cancelled');
      expect(after).toEqual([]);
      const actions = (await auditOfRun(app, run.id)).map((record) => record.action);
      expect(actions).toContain('run.cancel');
      expect(actions).not.toContain('disclosure.decide');
    } finally {
      await app.threads.addMember('alice', THREAD, 'carol');
    }
  });

  it('I3: memoized decisions never outlive a change of groups, membership, document ACL or policy', async () => {
    const decide = async () =>
      app.policy.authorizeMany([
        {
          principal: { type: 'User', id: 'bob' },
          action: 'readLabel',
          resource: { type: 'Label', id: 'hr-confidential' },
        },
        { principal: { type: 'User', id: 'bob' }, action: 'invokeAgent', resource: { type: 'Thread', id: THREAD } },
        {
          principal: { type: 'User', id: 'bob' },
          action: 'readDocument',
          resource: { type: 'Document', id: 'doc-board-deck' },
          context: { viaAgent: true },
        },
        { principal: { type: 'User', id: 'bob' }, action: 'useTool', resource: { type: 'Tool', id: 'sql' } },
      ]);
    const effects = async () => (await decide()).map((decision) => decision.effect);
    const deck = ACME_DOCUMENTS.find((document) => document.id === 'doc-board-deck');
    if (!deck) throw new Error('no deck');
    const policies = { ...app.policy.policies() };
    for (let round = 0; round < 3; round++) {
      expect(await effects()).toEqual(['deny', 'allow', 'deny', 'allow']);
      expect(await effects()).toEqual(['deny', 'allow', 'deny', 'allow']); // memoized now
      await setGroups('bob', [...original('bob').groups, 'hr']);
      await app.threads.removeMember('alice', THREAD, 'bob');
      await app.store.documents.upsert({ ...deck, readers: [...deck.readers, 'user:bob'] });
      await app.policy.update({
        ...policies,
        'no-sql-for-bob':
          '@id("no-sql-for-bob")\nforbid (principal == User::"bob", action == Action::"useTool", resource == Tool::"sql");',
      });
      expect(await effects()).toEqual(['allow', 'deny', 'allow', 'deny']);
      await setGroups('bob', [...original('bob').groups]);
      await app.threads.addMember('alice', THREAD, 'bob');
      await app.store.documents.upsert(deck);
      await app.policy.update(policies);
    }

    // And through whole turns of the adversary: what bob's tools return follows his groups now.
    route = () => createScriptedModel((_prompt, step) => (step === 0 ? PROBES : [{ type: 'text', text: 'done' }]));
    const rows: number[] = [];
    for (const groups of [original('bob').groups, ['sales', 'hr'], original('bob').groups]) {
      await setGroups('bob', [...groups]);
      const { run } = await ask(app, 'bob', THREAD, '@agent salaries');
      const sql = tools.executions.find((entry) => entry.runId === run.id && entry.tool === 'sql');
      rows.push(rowsOf(sql).length);
      for (const execution of tools.executions.filter((entry) => entry.runId === run.id))
        expect(outputViolations(execution)).toEqual([]);
    }
    expect(rows).toEqual([1, 40, 1]);
  });

  it('I3: an exception inside authorization is a deny, and the deny is audited', async () => {
    const users = app.store.users;
    const get = users.get.bind(users);
    const policy = app.policy;
    const authorizeMany = policy.authorizeMany.bind(policy);
    // Step 1: the entity resolver throws; step 2: the policy engine itself throws.
    route = () =>
      createScriptedModel((_prompt, step) =>
        step < 3
          ? [{ type: 'tool-call', toolName: 'sql', input: { query: 'SELECT * FROM compensation' } }]
          : [{ type: 'text', text: 'done' }],
      );
    pause = (call) => {
      users.get = get;
      policy.authorizeMany = authorizeMany;
      if (call.request !== 'fail closed') return undefined;
      if (call.step === 1) {
        users.get = async (id) => (id === 'dana' ? Promise.reject(new Error('directory unreachable')) : get(id));
      }
      if (call.step === 2) {
        policy.authorizeMany = async (requests) =>
          requests.some((request) => request.action === 'useTool')
            ? Promise.reject(new Error('policy store unreachable'))
            : authorizeMany(requests);
      }
      return undefined;
    };
    await app.threads.addMember('alice', THREAD, 'dana');
    try {
      const { run } = await ask(app, 'dana', THREAD, '@agent fail closed');
      expect(run.status).toBe('done');
      const executions = tools.executions.filter((entry) => entry.runId === run.id);
      expect(executions).toHaveLength(1);
      const calls = (await auditOfRun(app, run.id)).filter((record) => record.action === 'tool.call');
      expect(calls.map((record) => record.decision)).toEqual(['allow', 'deny', 'deny']);
      expect(calls[1]?.reason).toMatch(/dana may no longer invoke the agent/);
      expect(calls[2]?.reason).toMatch(/Authorization failed: policy store unreachable/);
      for (const record of calls) expect(record.requester).toBe('dana');
    } finally {
      pause = undefined;
      users.get = get;
      policy.authorizeMany = authorizeMany;
      await app.threads.removeMember('alice', THREAD, 'dana');
    }
  });
});
