import { systemClock } from '../shared/clock.ts';
import { checksFor, isReplayable, REPLAYED_ACTIONS, type ReplayFacts } from './access-checks.ts';
import { emptyNamingCounts, namingRemainder } from './audit-naming.ts';
import { auditPages } from './audit-pages.ts';
import { governanceConclusion } from './conclusion.ts';
import { GOVERNANCE_DEFINITIONS } from './definitions.ts';
import { readDeployment } from './deployment-snapshot.ts';
import { DesignTally } from './design-tally.ts';
import { identitiesSection, keyOf } from './identities-section.ts';
import { createIdentityDecider, type IdentityDecider } from './identity-decider.ts';
import { identityGroupsOf } from './identity-groups.ts';
import { LogFacts } from './log-facts.ts';
import { type CheckDecider, compareChecks, memoizedDecider } from './replay-decisions.ts';
import { governanceSeries } from './series.ts';
import type {
  AuditNamingSection,
  GovernanceReport,
  GovernanceReportOptions,
  GovernanceThreadRef,
  OutcomesSection,
  ThreadOutcomes,
} from './types.ts';

/** The identities of one thread, with their deciders. */
interface ThreadReplay {
  thread: GovernanceThreadRef;
  lcdGroups: string[];
  unionGroups: string[];
  lcd: CheckDecider;
  union: CheckDecider;
  replayed: number;
  lcdTally: DesignTally;
  unionTally: DesignTally;
}

/**
 * Computes the SPEC §9 governance report: reads the deployment (users, groups, threads and their
 * current members, the registry's tools) and the audit log in two paged passes up to the head
 * at the start — the first learns intents, label reach and who records name; the second
 * re-decides every user-mode access for the human and for the thread's hypothetical LCD and
 * union agent identities. Read-only; decisions use the current policy set.
 */
export async function computeGovernanceReport(options: GovernanceReportOptions): Promise<GovernanceReport> {
  const { store, policy, registry, onProgress } = options;
  const pageSize = options.pageSize ?? 500;
  const maxExamples = options.maxExamples ?? 5;
  const head = await store.audit.head();
  const total = head.seq;

  const facts = new LogFacts();
  for await (const page of auditPages(store.audit, pageSize, head.seq)) {
    for (const record of page) facts.add(record);
    onProgress?.({ phase: 'scan', done: facts.scanned, total });
  }

  const deployment = await readDeployment(store, facts.threadIds());
  const isRegisteredTool = (tool: string) => registry?.get(tool) !== undefined;
  const isKnownTool = registry ? isRegisteredTool : (tool: string) => facts.toolsAllowed.has(tool);
  const intentsOf = (threadId: string) => facts.intents.intentsOf(threadId, isKnownTool);
  const identities = identitiesSection(deployment.threads, intentsOf, deployment.users, await store.agents.list());

  const decider = await createIdentityDecider({ policy, store, ...(registry ? { registry } : {}) });
  const replays = new Map(
    deployment.threads.map((thread) => [thread.id, threadReplay(thread, deployment.users, decider, maxExamples)]),
  );
  const humans = new Map<string, CheckDecider>();
  const overall = { lcd: new DesignTally(maxExamples), union: new DesignTally(maxExamples) };
  let replayed = 0;
  let skipped = 0;
  let done = 0;
  const replayFacts: ReplayFacts = {
    reachOf: (action, resource) => facts.reachOf(action, resource),
    callHasAccesses: (callId) => facts.callHasAccesses(callId),
    isRegisteredTool,
  };
  for await (const page of auditPages(store.audit, pageSize, head.seq)) {
    for (const record of page) {
      if (!isReplayable(record)) {
        // Self-mode accesses already ran as an agent identity, system ones for nobody: no human outcome to compare.
        if (REPLAYED_ACTIONS.has(record.action)) skipped += 1;
        continue;
      }
      const thread = replays.get(record.threadId);
      if (!thread) {
        skipped += 1;
        continue;
      }
      let human = humans.get(record.requester);
      if (!human) {
        human = memoizedDecider(policy, { type: 'User', id: record.requester });
        humans.set(record.requester, human);
      }
      const [lcd, union] = await compareChecks(checksFor(record, replayFacts), human, [thread.lcd, thread.union]);
      if (!lcd || !union) continue;
      replayed += 1;
      thread.replayed += 1;
      for (const [tally, difference] of [
        [overall.lcd, lcd],
        [overall.union, union],
        [thread.lcdTally, lcd],
        [thread.unionTally, union],
      ] as const) {
        tally.add(record, difference);
      }
    }
    done += page.length;
    onProgress?.({ phase: 'replay', done, total });
  }

  const outcomes: OutcomesSection = {
    replayed,
    skipped,
    lcd: overall.lcd.result(),
    union: overall.union.result(),
    threads: [...replays.values()].map(threadOutcomes),
  };
  const namingThreads = deployment.threads.map((thread) => ({
    thread,
    ...(facts.namingByThread.get(thread.id) ?? emptyNamingCounts()),
  }));
  const audit: AuditNamingSection = {
    ...facts.naming,
    byMode: { ...facts.modes.byMode },
    agentByMode: { ...facts.modes.agentByMode },
    threads: namingThreads,
    outsideThreads: namingRemainder(facts.naming, namingThreads),
  };
  return {
    generatedAt: (options.clock ?? systemClock).now(),
    deployment: {
      users: deployment.users.size,
      groups: deployment.groups,
      threads: deployment.threads.length,
      tools: registry
        ? registry
            .list()
            .map((tool) => tool.name)
            .sort()
        : null,
      auditRecords: facts.scanned,
      policyVersion: policy.version,
    },
    conclusion: governanceConclusion({ identities, outcomes, audit }),
    definitions: GOVERNANCE_DEFINITIONS,
    identities,
    outcomes,
    audit,
    series: governanceSeries({
      threads: deployment.threads,
      intentCount: (threadId) => intentsOf(threadId).length,
      identities,
      outcomes,
      audit,
    }),
  };
}

function threadReplay(
  thread: GovernanceThreadRef,
  users: ReadonlyMap<string, { groups: string[] }>,
  decider: IdentityDecider,
  maxExamples: number,
): ThreadReplay {
  const groups = identityGroupsOf(thread.members.map((id) => users.get(id)?.groups ?? []));
  const key = keyOf(thread.members);
  return {
    thread,
    lcdGroups: groups.lcd,
    unionGroups: groups.union,
    lcd: memoizedDecider(decider.engine, decider.principal(`lcd:${key}`, groups.lcd)),
    union: memoizedDecider(decider.engine, decider.principal(`union:${key}`, groups.union)),
    replayed: 0,
    lcdTally: new DesignTally(maxExamples),
    unionTally: new DesignTally(maxExamples),
  };
}

function threadOutcomes(replay: ThreadReplay): ThreadOutcomes {
  return {
    thread: replay.thread,
    lcdGroups: replay.lcdGroups,
    unionGroups: replay.unionGroups,
    replayed: replay.replayed,
    lcd: replay.lcdTally.result(),
    union: replay.unionTally.result(),
  };
}
