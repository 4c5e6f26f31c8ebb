import type { LanguageModel } from 'ai';
import { AgentRuntime } from '../agent/agent-runtime.ts';
import { AnswerSharing } from '../agent/answer-sharing.ts';
import type { Run } from '../agent/types.ts';
import { AuditLog } from '../audit/audit-log.ts';
import type { GrantAuthority } from '../delegation/types.ts';
import { LocalEventBus } from '../events/local-event-bus.ts';
import type { EventBus } from '../events/types.ts';
import type { RealtimeDeliveryPort } from '../http/realtime/event-delivery.ts';
import { AgentIdentityService } from '../identity/agent-identity-service.ts';
import type { UserId } from '../identity/types.ts';
import type { PolicyEngine } from '../policy/types.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import { type IdGenerator, randomIds } from '../shared/ids.ts';
import type { Store } from '../storage/types.ts';
import { DeliveryVisibility } from '../threads/delivery-visibility.ts';
import { addressesAgent } from '../threads/mentions.ts';
import { ThreadService } from '../threads/thread-service.ts';
import type { Message } from '../threads/types.ts';
import { VisibilityChecker } from '../threads/visibility.ts';
import { ToolGateway } from '../tools/tool-gateway.ts';
import type { ToolRegistry } from '../tools/types.ts';

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
  };
}

/** The assembled engine: domain services plus the one use case that spans them (posting). */
export interface App {
  readonly store: Store;
  readonly policy: PolicyEngine;
  readonly grants: GrantAuthority;
  readonly registry: ToolRegistry;
  readonly audit: AuditLog;
  readonly events: EventBus;
  readonly visibility: VisibilityChecker;
  readonly threads: ThreadService;
  readonly gateway: ToolGateway;
  readonly agent: AgentRuntime;
  readonly sharing: AnswerSharing;
  /** Provisioned agent identities of self-authorized threads. */
  readonly agents: AgentIdentityService;
  /** What the WebSocket hub asks of the engine: events, subscription decisions, per-reader views. */
  readonly delivery: RealtimeDeliveryPort;
  readonly clock: Clock;
  readonly agentId: string;
  /** Posts a human message; when it addresses `@agent`, starts a run bound to its author (I1). */
  postMessage(actor: UserId, threadId: string, text: string): Promise<{ message: Message; run: Run | null }>;
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
  const audit = new AuditLog(store.audit, clock, ids);
  const visibility = new VisibilityChecker(policy);
  const threads = new ThreadService({
    threads: store.threads,
    messages: store.messages,
    users: store.users,
    agents: store.agents,
    policy,
    audit,
    events,
    visibility,
    clock,
    ids,
    ...(deps.limits?.maxMessageChars ? { maxMessageChars: deps.limits.maxMessageChars } : {}),
  });
  // The runtime implements the gateway's approval gate; the gateway needs it at call time only.
  let runtime: AgentRuntime | undefined;
  const gateway = new ToolGateway({
    registry,
    policy,
    grants,
    audit,
    users: store.users,
    threads: store.threads,
    agents: store.agents,
    toolCalls: store.toolCalls,
    approvals: {
      hasStanding: (userId, tool) => store.approvals.hasStanding(userId, tool),
      request: (input) => (runtime as AgentRuntime).approvals.request(input),
    },
    clock,
    agentId,
    ...(deps.limits?.toolTimeoutMs ? { toolTimeoutMs: deps.limits.toolTimeoutMs } : {}),
  });
  runtime = new AgentRuntime({
    runs: store.runs,
    toolCalls: store.toolCalls,
    messages: store.messages,
    threads: store.threads,
    users: store.users,
    approvals: store.approvals,
    threadService: threads,
    gateway,
    registry,
    policy,
    visibility,
    audit,
    events,
    clock,
    ids,
    model: deps.model,
    agentId,
    agentName: deps.agentName ?? 'Behalf agent',
    ...deps.limits,
  });
  const agent = runtime;
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
  const deliveryVisibility = new DeliveryVisibility(policy, store.users);
  const delivery: RealtimeDeliveryPort = {
    subscribe: (handler) => events.subscribe(handler),
    async authorizeSubscription(userId, threadId) {
      await threads.authorizeThread(userId, threadId, 'readThread');
    },
    members: (threadId) => store.threads.members(threadId),
    views: (readers, message) => deliveryVisibility.viewAll(readers, message),
  };
  return {
    store,
    policy,
    grants,
    registry,
    audit,
    events,
    visibility,
    threads,
    gateway,
    agent,
    sharing,
    agents,
    delivery,
    clock,
    agentId,
    async postMessage(actor, threadId, text) {
      const message = await threads.post(actor, threadId, text);
      const run = addressesAgent(message.text) ? await agent.startRun(message) : null;
      return { message, run };
    },
    async drain() {
      await agent.drain();
      await audit.drain();
    },
  };
}
