import type { LanguageModel } from 'ai';
import { AgentRuntime } from '../agent/agent-runtime.ts';
import { AnswerSharing } from '../agent/answer-sharing.ts';
import type { Run } from '../agent/types.ts';
import { AuditLog } from '../audit/audit-log.ts';
import { AuditReads } from '../audit/audit-reads.ts';
import type { GrantAuthority } from '../delegation/types.ts';
import { LocalEventBus } from '../events/local-event-bus.ts';
import type { EventBus } from '../events/types.ts';
import { computeGovernanceReport } from '../governance/governance-report.ts';
import type { GovernanceProgress, GovernanceReport } from '../governance/types.ts';
import type { RealtimeDeliveryPort } from '../http/realtime/event-delivery.ts';
import { activeUsers } from '../identity/active-users.ts';
import { AgentIdentityService } from '../identity/agent-identity-service.ts';
import { PeopleDirectory } from '../identity/people-directory.ts';
import { SessionService } from '../identity/session-service.ts';
import type { UserId } from '../identity/types.ts';
import { MemoryService } from '../memory/memory-service.ts';
import type { PolicyEngine } from '../policy/types.ts';
import type { AnswerAudienceWire } from '../protocol/answer-wire.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import { type IdGenerator, randomIds } from '../shared/ids.ts';
import type { Store } from '../storage/types.ts';
import { DeliveryVisibility } from '../threads/delivery-visibility.ts';
import { addressesAgent } from '../threads/mentions.ts';
import { ThreadService } from '../threads/thread-service.ts';
import type { Message } from '../threads/types.ts';
import { VisibilityChecker } from '../threads/visibility.ts';
import { ToolApprovals } from '../tools/tool-approvals.ts';
import { ToolGateway } from '../tools/tool-gateway.ts';
import type { ToolRegistry } from '../tools/types.ts';
import type { WorkspaceConfig } from '../workspace/workspace-config.ts';
import { type EdgeServices, edgeServices } from './edge-services.ts';
import { createWorkspaceAdmin, type WorkspaceAdmin, type WorkspaceAdminDeps } from './workspace-admin.ts';

/** The acting agent's id in grants (`act.sub`) and audit records. */
export const DEFAULT_AGENT_ID = 'behalf-agent';

/** Everything the engine is built from; the composition root's only input (STYLE). */
export interface AppDependencies {
  store: Store;
  policy: PolicyEngine;
  /** Created by the caller because the policy engine's entity resolver needs the same registry. */
  registry: ToolRegistry;
  grants: GrantAuthority;
  model: LanguageModel;
  clock?: Clock;
  ids?: IdGenerator;
  events?: EventBus;
  agentId?: string;
  agentName?: string;
  /** The workspace served (SPEC §12): turns on the administrator's page; without it `/api/admin/*` is 404. */
  workspace?: WorkspaceConfig;
  /** What that page shows besides the file: doctor's findings, the policy texts (default: the engine's, by id). */
  workspaceAdmin?: Pick<WorkspaceAdminDeps, 'doctor' | 'policyTexts'>;
  limits?: {
    maxSteps?: number;
    runTimeoutMs?: number;
    concurrency?: number;
    maxMessageChars?: number;
    toolTimeoutMs?: number;
    approvalTimeoutMs?: number;
    /** Run lease length and queue poll interval (durable run queue; `BEHALF_RUN_LEASE_MS`, `BEHALF_RUN_POLL_MS`). */
    leaseMs?: number;
    pollMs?: number;
    /** Session lifetime (default 12 h). */
    sessionTtlMs?: number;
    /** Lazy context (SPEC §13, default true); `false` is the eager design, for comparison (`BEHALF_LAZY_CONTEXT=off`). */
    lazyContext?: boolean;
  };
}

/** The assembled engine: domain services plus the one use case that spans them (posting). */
export interface App {
  readonly policy: PolicyEngine;
  readonly grants: GrantAuthority;
  readonly registry: ToolRegistry;
  readonly audit: AuditLog;
  /** The audit log's read rules (who reads what, filters, export), for the edges. */
  readonly auditReads: AuditReads;
  readonly events: EventBus;
  readonly visibility: VisibilityChecker;
  readonly threads: ThreadService;
  readonly gateway: ToolGateway;
  readonly agent: AgentRuntime;
  readonly sharing: AnswerSharing;
  /** Provisioned agent identities of self-authorized threads. */
  readonly agents: AgentIdentityService;
  /** A thread's agent memory as people see it: list what they are cleared for, delete their own. */
  readonly memories: MemoryService;
  /** What the WebSocket hub asks of the engine: events, subscription decisions, per-reader views. */
  readonly delivery: RealtimeDeliveryPort;
  /** The people of the deployment, read-only (pickers, dev login). */
  readonly people: PeopleDirectory;
  /** Browser and API sessions: sign in, authenticate, end. */
  readonly sessions: SessionService;
  /** What the HTTP edge serves, built here: OIDC login, token exchange, the WebSocket hub. */
  readonly edge: EdgeServices;
  /** The SPEC §9 report over the whole deployment (auditors only: the edge checks `readAuditLog`). */
  readonly governance: { report(onProgress?: (progress: GovernanceProgress) => void): Promise<GovernanceReport> };
  /** The administrator's page over the served workspace (its `admins` groups only); null without a workspace. */
  readonly admin: WorkspaceAdmin | null;
  readonly clock: Clock;
  readonly agentId: string;
  /** Posts a human message; when it addresses `@agent`, starts a run bound to its author (I1). */
  postMessage(
    actor: UserId,
    threadId: string,
    text: string,
    /** Who the answer is for when it addresses the agent (default `me`, issue 10 point 3). */
    options?: { audience?: AnswerAudienceWire },
  ): Promise<{ message: Message; run: Run | null }>;
  /** Waits for queued runs and pending audit writes (tests, shutdown). */
  drain(): Promise<void>;
}

/** Builds the engine from its dependencies. No module-level state: tests build many apps. */
export function createApp(deps: AppDependencies): App {
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? randomIds;
  const events = deps.events ?? new LocalEventBus();
  const agentId = deps.agentId ?? DEFAULT_AGENT_ID;
  const { store, policy, registry, grants } = deps;
  // Everything that acts for people sees only active ones: a deprovisioned person is gone.
  const users = activeUsers(store.users);
  const audit = new AuditLog(store.audit, clock, ids);
  const visibility = new VisibilityChecker(policy);
  const threads = new ThreadService({
    threads: store.threads,
    messages: store.messages,
    users,
    agents: store.agents,
    policy,
    audit,
    events,
    visibility,
    clock,
    ids,
    ...(deps.limits?.maxMessageChars ? { maxMessageChars: deps.limits.maxMessageChars } : {}),
  });
  // Calls wait for approval in the gateway's own gate; the runtime hears of it per call.
  const toolApprovals = new ToolApprovals({
    approvals: store.approvals,
    audit,
    events,
    clock,
    ids,
    agentId,
    ...(deps.limits?.approvalTimeoutMs ? { timeoutMs: deps.limits.approvalTimeoutMs } : {}),
  });
  const gateway = new ToolGateway({
    registry,
    policy,
    grants,
    audit,
    users,
    threads: store.threads,
    agents: store.agents,
    toolCalls: store.toolCalls,
    approvals: toolApprovals,
    clock,
    agentId,
    ...(deps.limits?.toolTimeoutMs ? { toolTimeoutMs: deps.limits.toolTimeoutMs } : {}),
  });
  const agent = new AgentRuntime({
    runs: store.runs,
    toolCalls: store.toolCalls,
    messages: store.messages,
    threads: store.threads,
    users,
    approvals: store.approvals,
    threadService: threads,
    gateway,
    toolApprovals,
    tools: registry,
    visibility,
    audit,
    events,
    clock,
    ids,
    model: deps.model,
    agent: { id: agentId, name: deps.agentName ?? 'Behalf agent' },
    ...(deps.limits ? { limits: deps.limits } : {}),
  });
  const sharing = new AnswerSharing({
    messages: store.messages,
    threads: store.threads,
    threadService: threads,
    policy,
    visibility,
    audit,
    events,
    agentId,
  });
  const agents = new AgentIdentityService({ agents: store.agents, policy, audit, clock });
  const deliveryVisibility = new DeliveryVisibility(policy, users);
  const sessions = new SessionService({
    sessions: store.sessions,
    users,
    clock,
    ...(deps.limits?.sessionTtlMs ? { ttlMs: deps.limits.sessionTtlMs } : {}),
  });
  const governance = {
    async report(onProgress?: (progress: GovernanceProgress) => void) {
      // Pending audit writes first, so the report includes the latest actions.
      await audit.drain();
      return computeGovernanceReport({ store, policy, registry, clock, ...(onProgress ? { onProgress } : {}) });
    },
  };
  const delivery: RealtimeDeliveryPort = {
    subscribe: (handler) => events.subscribe(handler),
    async authorizeSubscription(userId, threadId) {
      await threads.authorizeThread(userId, threadId, 'readThread');
    },
    members: (threadId) => store.threads.members(threadId),
    views: (readers, message) => deliveryVisibility.viewAll(readers, message),
  };
  return {
    policy,
    grants,
    registry,
    audit,
    auditReads: new AuditReads({ policy, store: store.audit }),
    events,
    visibility,
    threads,
    gateway,
    agent,
    sharing,
    agents,
    memories: new MemoryService({ memories: store.memories, threads, visibility, audit, agentId }),
    delivery,
    people: new PeopleDirectory(users),
    sessions,
    edge: edgeServices({ users: store.users, sessions, grants, audit, clock, delivery }),
    governance,
    admin: deps.workspace
      ? createWorkspaceAdmin({
          config: deps.workspace,
          policy,
          people: users,
          agents: store.agents,
          audit,
          ...deps.workspaceAdmin,
        })
      : null,
    clock,
    agentId,
    async postMessage(actor, threadId, text, options) {
      const message = await threads.post(actor, threadId, text);
      const run = addressesAgent(message.text) ? await agent.startRun(message, options?.audience) : null;
      return { message, run };
    },
    async drain() {
      await agent.drain();
      await audit.drain();
    },
  };
}
