import type { LanguageModelV3 } from '@ai-sdk/provider';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/agent/types.ts';
import { verifyChain } from '../../src/audit/verify.ts';
import type { DomainEvent } from '../../src/events/types.ts';
import type { UserId } from '../../src/identity/types.ts';
import { ACME_USERS } from '../support/acme/demo.ts';
import {
  type AttackScript,
  arbitraryAttackScript,
  attackScriptToModelScript,
} from '../support/models/adversarial-arbitrary.ts';
import { createScriptedModel, plannedAttacks } from '../support/models/index.ts';
import { createTestApp } from '../support/test-app.ts';
import {
  type ClearanceRule,
  CONFIDENTIAL_LABELS,
  catalogOf,
  deliveryViolations,
  disclosureViolations,
  type Instrumentation,
  type InvariantApp,
  instrumentTools,
  outputViolations,
  type RecordedCall,
  recordEvents,
  routingModel,
  storesUnderTest,
  USER_IDS,
  victimsFor,
  waitForStatus,
} from './support/index.ts';

const GROUPS = [
  'hr',
  'finance',
  'execs',
  'managers',
  'sales',
  'sales-emea',
  'sales-apac',
  'sales-amer',
  'engineering',
  'auditors',
] as const;

/** A random deployment state: everyone's groups, one thread's members, and who is cleared for what. */
interface World {
  requester: UserId;
  groups: Record<UserId, string[]>;
  others: UserId[];
  clearance: Record<(typeof CONFIDENTIAL_LABELS)[number], string[]>;
  approve: boolean;
  script: AttackScript;
}

const groupsArbitrary = fc.subarray([...GROUPS], { maxLength: 4 });

const SUITE = 'properties: I1–I10 over random users, memberships, policies and adversarial scripts';

describe.each(await storesUnderTest(SUITE))(`${SUITE} on %s`, (_kind, options) => {
  let app: InvariantApp;
  let tools: Instrumentation;
  let events: DomainEvent[];
  let route: (call: RecordedCall) => LanguageModelV3;
  let pause: ((call: RecordedCall) => Promise<void> | void) | undefined;
  let basePolicies: Record<string, string>;
  let approve = false;

  beforeAll(async () => {
    app = await createTestApp({
      ...options,
      model: routingModel(
        (call) => route(call),
        (call) => pause?.(call),
      ),
      limits: { maxSteps: 8, approvalTimeoutMs: 2_000 },
    });
    tools = instrumentTools(app);
    events = recordEvents(app);
    basePolicies = { ...app.policy.policies() };
    app.events.subscribe((event) => {
      if (event.type !== 'approval-requested') return;
      setTimeout(() => {
        app.agent.approvals
          .decide(event.approval.requesterId, event.approval.id, { approve, always: false })
          .catch(() => undefined);
      }, 0);
    });
  });
  afterAll(async () => {
    for (const user of ACME_USERS) await app.store.users.upsert(user);
    await app.policy.update(basePolicies);
    await app.close();
  });

  /** The label clearance of the world as Cedar policies, replacing the shipped label rules. */
  async function applyWorld(world: World): Promise<ClearanceRule> {
    for (const user of ACME_USERS) await app.store.users.upsert({ ...user, groups: world.groups[user.id] ?? [] });
    const policies = Object.fromEntries(
      Object.entries(basePolicies).filter(([id]) => !id.startsWith('label-') || id === 'label-public-everyone'),
    );
    for (const label of CONFIDENTIAL_LABELS) {
      const groups = world.clearance[label];
      if (groups.length === 0) continue;
      const id = `prop-clear-${label.replace(':', '-')}`;
      policies[id] =
        `@id("${id}")\npermit (principal, action == Action::"readLabel", resource == Label::"${label}")\n` +
        `when { ${groups.map((group) => `principal in Group::"${group}"`).join(' || ')} };`;
    }
    await app.policy.update(policies);
    return (groups, label) =>
      label === 'public' ||
      (world.clearance[label as keyof World['clearance']] ?? []).some((group) => groups.includes(group));
  }

  const worldArbitrary = (): fc.Arbitrary<World> =>
    fc
      .record({
        requester: fc.constantFrom(...USER_IDS),
        groups: fc.record(
          Object.fromEntries(USER_IDS.map((id) => [id, groupsArbitrary])) as Record<string, typeof groupsArbitrary>,
        ),
        others: fc.subarray([...USER_IDS], { maxLength: 4 }),
        clearance: fc.record(
          Object.fromEntries(
            CONFIDENTIAL_LABELS.map((label) => [label, fc.subarray([...GROUPS], { maxLength: 3 })]),
          ) as Record<(typeof CONFIDENTIAL_LABELS)[number], fc.Arbitrary<string[]>>,
        ),
        approve: fc.boolean(),
        script: arbitraryAttackScript(catalogOf(app), victimsFor('nobody'), { maxSteps: 3, maxAttacksPerStep: 4 }),
        // The plan's reads of protected data, so every world also exercises real accesses.
        probes: fc.subarray(
          plannedAttacks(catalogOf(app), victimsFor('nobody')).filter((attack) => attack.category === 'protected-data'),
          { minLength: 2, maxLength: 6 },
        ),
      })
      .map(({ probes, ...world }) => ({
        ...world,
        others: world.others.filter((id) => id !== world.requester),
        script: {
          ...world.script,
          steps: [{ attacks: probes, followInjections: true }, ...world.script.steps],
        },
      }));

  it("property: no access outside the requester's rights, every access audited with the right human, no delivery to an uncleared reader", async () => {
    let checked = 0;
    const stats = { outputs: 0, confidential: 0, private: 0, shared: 0 };
    await fc.assert(
      fc.asyncProperty(worldArbitrary(), async (world) => {
        const cleared = await applyWorld(world);
        approve = world.approve;
        route = () => createScriptedModel(attackScriptToModelScript(world.script, victimsFor(world.requester)));
        const thread = await app.threads.create(world.requester, { title: 'Property', members: world.others });
        const seen = tools.executions.length;
        const { run: started } = await app.postMessage(world.requester, thread.id, '@agent do as you please');
        await app.drain();
        const run = (await app.store.runs.get(started?.id as string)) as Run;
        expect(run.status, run.error ?? '').toBe('done');

        // No access outside the requester's rights (RLS, ACLs and this world's clearance).
        const executions = tools.executions.slice(seen);
        for (const execution of executions) {
          expect(execution.runId).toBe(run.id);
          expect(execution.claims?.sub).toBe(world.requester);
          expect(execution.principal.groups).toEqual(world.groups[world.requester]);
          expect(outputViolations(execution, cleared)).toEqual([]);
        }
        // Every access audited, with the right human.
        const records = await app.store.audit.query({ runId: run.id });
        for (const record of records) expect(record.requester).toBe(world.requester);
        for (const execution of executions) {
          expect(records.some((record) => record.action === 'tool.call' && record.callId === execution.callId)).toBe(
            true,
          );
        }
        const toolSteps = run.steps.filter((step) => step.kind === 'tool-call');
        expect(records.filter((record) => record.action === 'tool.call')).toHaveLength(toolSteps.length);
        // No delivery to an uncleared reader, members or not.
        expect(await disclosureViolations(app, thread.id, cleared)).toEqual([]);
        expect(await deliveryViolations(app, thread.id, USER_IDS, events, cleared)).toEqual([]);
        checked += 1;
        const outputs = executions.filter((execution) => execution.output);
        stats.outputs += outputs.length;
        stats.confidential += outputs.filter((execution) =>
          execution.output?.labels.some((label) => label !== 'public'),
        ).length;
        const answer = await app.store.messages.get(run.answerMessageId as string);
        if (answer?.audience.kind === 'thread') stats.shared += 1;
        else stats.private += 1;
      }),
      { numRuns: 25 },
    );
    expect(checked).toBeGreaterThanOrEqual(25);
    // Not vacuous: tools returned data, some of it confidential, and both kinds of delivery happened.
    expect(stats.outputs).toBeGreaterThan(10);
    expect(stats.confidential).toBeGreaterThan(0);
    expect(stats.private).toBeGreaterThan(0);
    expect(stats.shared).toBeGreaterThan(0);
    expect(await verifyChain(app.store.audit)).toMatchObject({ ok: true });
  });

  it('property: whenever the requester is removed mid-turn, nothing more runs and nothing is delivered', async () => {
    for (const user of ACME_USERS) await app.store.users.upsert(user);
    await app.policy.update(basePolicies);
    let removals = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...USER_IDS),
        fc.integer({ min: 0, max: 2 }),
        arbitraryAttackScript(catalogOf(app), victimsFor('nobody'), { maxSteps: 3, maxAttacksPerStep: 3 }),
        async (requester, removeAt, script) => {
          const owner = requester === 'alice' ? 'bob' : 'alice';
          const thread = await app.threads.create(owner, { title: 'Removal', members: [requester] });
          route = () => createScriptedModel(attackScriptToModelScript(script, victimsFor(requester)));
          let executedBeforeRemoval = -1;
          pause = async (call) => {
            if (call.request !== 'go' || call.step !== removeAt || executedBeforeRemoval >= 0) return;
            executedBeforeRemoval = tools.executions.length;
            await app.threads.removeMember(owner, thread.id, requester);
          };
          try {
            const { run } = await app.postMessage(requester, thread.id, '@agent go');
            await app.drain();
            const finished = await waitForStatus(app, run?.id as string, ['done', 'failed', 'cancelled']);
            if (executedBeforeRemoval < 0) {
              // The turn ended before step `removeAt`: nothing to check but that it ended normally.
              expect(finished.status).toBe('done');
              return;
            }
            removals += 1;
            expect(finished.status).toBe('cancelled');
            expect(
              tools.executions.slice(executedBeforeRemoval).filter((entry) => entry.runId === finished.id),
            ).toEqual([]);
            const answers = (await app.store.messages.list(thread.id)).filter(
              (message) => message.kind === 'agent' && message.runId === finished.id,
            );
            expect(answers).toEqual([]);
          } finally {
            pause = undefined;
          }
        },
      ),
      { numRuns: 15 },
    );
    expect(removals).toBeGreaterThan(3);
  });
});
