import type { UserId } from '../identity/types.ts';
import type { LabelCatalogue } from './label-catalogue.ts';

/** The outcome of one authorization decision: a value, never an exception. */
export interface Decision {
  effect: 'allow' | 'deny';
  /** Ids of the policies that determined the outcome (empty for a default deny). */
  policies: string[];
  /** Human-readable reason, for denials shown to users and audit records. */
  reason?: string;
}

/** Actions of the Cedar schema (`Action::"…"`). */
export type PolicyAction =
  | 'readThread'
  | 'postMessage'
  | 'invokeAgent'
  | 'manageThread'
  | 'useTool'
  | 'useToolUnattended'
  | 'readDocument'
  | 'readLabel'
  | 'shareAnswer'
  | 'declassifyLabel'
  | 'readAuditLog'
  | 'provisionAgent'
  | 'assignAgent'
  | 'recordStatement'
  | 'administer';

/**
 * The acting principal: a human, or the agent as its own principal in a self-authorized thread
 * (the agent identity assigned to that thread, with that identity's groups).
 */
export type PrincipalRef = { type: 'User'; id: UserId } | { type: 'Agent'; threadId: string };

/** What a decision is about. Entities are loaded by id at decision time (current state, I3). */
export type ResourceRef =
  | { type: 'Thread'; id: string }
  | { type: 'Tool'; id: string }
  | { type: 'Document'; id: string }
  | { type: 'Label'; id: string }
  | { type: 'Message'; id: string }
  | { type: 'AuditLog'; id: 'global' }
  | { type: 'Agent'; id: string }
  | { type: 'AgentDirectory'; id: 'global' }
  | { type: 'Workspace'; id: 'global' };

/** A provisioned agent identity as policy sees it. */
export interface AgentEntity {
  id: string;
  groups: string[];
  assigners: string[];
  version: number;
}

/** Request context. `viaAgent`: the agent acts on the principal's behalf (delegation-aware policy). */
export interface DecisionContext {
  viaAgent: boolean;
  mode?: 'user' | 'self';
  /** For `declassifyLabel`: the thread the answer would be shared into. */
  threadId?: string;
}

export interface AuthorizationRequest {
  principal: PrincipalRef;
  action: PolicyAction;
  resource: ResourceRef;
  context?: DecisionContext;
}

/**
 * The policy decision point. Decisions are taken against current entity state and the current
 * policy set; memoized results are keyed by the policy version and the versions of every entity
 * involved, so any change invalidates them (I3). Any error inside a decision is a deny.
 */
export interface PolicyEngine {
  authorize(request: AuthorizationRequest): Promise<Decision>;
  authorizeMany(requests: readonly AuthorizationRequest[]): Promise<Decision[]>;
  /** Changes with every policy update; part of every memo key. */
  readonly version: string;
  /** Policy ids and texts in force. */
  policies(): Readonly<Record<string, string>>;
  /**
   * The label catalogue Label entities are built from (a second engine over the same policies,
   * such as the governance report's, must use the same one).
   */
  readonly labels?: LabelCatalogue;
  /**
   * Replace the policy set. Validated against the schema first; an invalid set is refused with an
   * AppError(`policy_invalid`) and the current set stays in force. Takes effect on the next decision.
   */
  update(policies: Record<string, string>): Promise<void>;
}

/** Entity data the engine loads at decision time. Each carries a version for memo keys. */
export interface EntityResolver {
  user(id: UserId): Promise<{ id: UserId; groups: string[]; version: number } | undefined>;
  /** A thread; `agent` is the identity its agent acts as in self mode (null when none is assigned). */
  thread(
    id: string,
  ): Promise<
    { id: string; ownerId: UserId; members: UserId[]; agent: AgentEntity | null; version: number } | undefined
  >;
  agent(id: string): Promise<AgentEntity | undefined>;
  document(id: string): Promise<{ id: string; label: string; readers: string[]; version: number } | undefined>;
  tool(name: string): Promise<{ name: string; effect: 'read' | 'write'; version: number } | undefined>;
  message(
    id: string,
  ): Promise<
    { id: string; threadId: string; requesterId: UserId | null; labels: string[]; version: number } | undefined
  >;
}
