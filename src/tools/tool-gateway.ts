import { randomUUID } from 'node:crypto';
import type { RunStep } from '../agent/types.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { type AuditEntry, TOOL_CALL_ACTION } from '../audit/types.ts';
import type { DelegationGrant } from '../delegation/grant.ts';
import type { GrantRequest } from '../delegation/types.ts';
import type { AgentIdentityStore, UserId, UserStore } from '../identity/types.ts';
import { unassignedAgentId } from '../policy/agent-principal.ts';
import type { Decision, PolicyEngine, PrincipalRef } from '../policy/types.ts';
import type { LabelSourceKind, LabelSourceWire } from '../protocol/answer-wire.ts';
import { isAppError } from '../protocol/errors.ts';
import type { Clock } from '../shared/clock.ts';
import { hashValue } from '../shared/hash.ts';
import { UNCLASSIFIED_LABEL } from '../sources/result-labels.ts';
import type { ThreadMode, ThreadStore } from '../threads/types.ts';
import { policiesOf } from '../threads/visibility.ts';
import { DEFAULT_MAX_OUTPUT_CHARS, limitOutput } from './output-limit.ts';
import { GrantRefusedError, ToolDeniedError } from './tool-errors.ts';
import type {
  ActingPrincipal,
  ToolCallStore,
  ToolDefinition,
  ToolErrorCode,
  ToolOutput,
  ToolRegistry,
  ToolResultEnvelope,
} from './types.ts';

/** The run a tool call belongs to: fixed at run creation, never taken from model output (I1). */
export interface GatewayRun {
  id: string;
  threadId: string;
  requesterId: UserId;
  mode: ThreadMode;
}

/** One call waiting for its requester's approval. */
export interface ApprovalRequest {
  run: GatewayRun;
  tool: string;
  callId: string;
  args: unknown;
  /** The call's signal: aborting it (a cancelled run) ends the wait at once. */
  signal: AbortSignal;
  /** Tells the caller its run now waits for the answer (or no longer does), with the trace step. */
  onAwaiting(awaiting: boolean, step: Extract<RunStep, { kind: 'approval' }>): Promise<void>;
}

/** Asks the requester to approve one call (I7); `ToolApprovals` is the implementation. */
export interface ApprovalGate {
  hasStanding(userId: UserId, tool: string): Promise<boolean>;
  /** Resolves with the requester's answer; rejects when the wait ends without one. */
  request(input: ApprovalRequest): Promise<{ approved: boolean }>;
}

/** What the caller of one tool call hears while it runs (the agent keeps its run's state). */
export interface CallObserver {
  onAwaitingApproval: ApprovalRequest['onAwaiting'];
}

/** An observer for calls whose caller keeps no run state (benchmarks, direct tests). */
const UNOBSERVED: CallObserver = { onAwaitingApproval: async () => {} };

/** Mints the per-call grant (the delegation domain's authority fits this). */
export interface GrantMinter {
  mint(request: GrantRequest): DelegationGrant;
}

export interface ToolGatewayDeps {
  registry: ToolRegistry;
  policy: PolicyEngine;
  grants: GrantMinter;
  audit: AuditLog;
  users: UserStore;
  threads: ThreadStore;
  agents: AgentIdentityStore;
  toolCalls: ToolCallStore;
  approvals: ApprovalGate;
  clock: Clock;
  /** The acting agent's id (`act.sub` of every grant). */
  agentId: string;
  maxOutputChars?: number;
  toolTimeoutMs?: number;
}

/** What the gateway hands back to the turn loop for one call. */
export interface GatewayCallResult {
  envelope: ToolResultEnvelope;
  step: Extract<RunStep, { kind: 'tool-call' }>;
  /** Labels of what the call read or tried to read: empty only when it was refused before executing. */
  labels: string[];
}

/**
 * The single gate every tool call passes (SPEC §3, STYLE "Security code"), always in this order:
 * validate → authorize → mint grant → execute → label → audit. Identity comes from the run and
 * current stores, never from arguments; every call, allowed or not, ends in exactly one
 * `tool.call` audit record, and a result is released to the model only after its record (and
 * the records of any data it accessed) committed. A write tool's `data.write` record commits
 * before it executes. Any exception on the authorization path is a deny.
 */
export class ToolGateway {
  private readonly maxOutputChars: number;
  /** How long one tool call may take before it fails with `ToolTimeoutError`. */
  readonly toolTimeoutMs: number;

  constructor(private readonly deps: ToolGatewayDeps) {
    this.maxOutputChars = deps.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS;
    this.toolTimeoutMs = deps.toolTimeoutMs ?? 15_000;
  }

  async call(
    run: GatewayRun,
    toolName: string,
    args: unknown,
    callId: string,
    signal: AbortSignal,
    observer: CallObserver = UNOBSERVED,
  ): Promise<GatewayCallResult> {
    const started = this.deps.clock.now();
    const argsHash = hashValue(args ?? null);
    const base = { run, toolName, callId, argsHash, started };

    // 1. validate
    const tool = this.deps.registry.get(toolName);
    if (!tool) return this.refuse(base, 'unknown_tool', `There is no tool named "${toolName}"`, [], 'deny');
    const parsed = tool.inputSchema.safeParse(args);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`)
        .join('; ');
      return this.refuse(
        base,
        'invalid_arguments',
        `Invalid arguments for ${toolName}: ${detail}`.slice(0, 500),
        [],
        'deny',
      );
    }

    // 2. authorize (current membership, principal and policy: I3)
    let authorization = await this.authorize(run, tool);
    if (!authorization.allowed)
      return this.refuse(base, 'denied', authorization.reason, authorization.policies, 'deny');
    if (authorization.needsApproval) {
      let approved = await this.deps.approvals.hasStanding(run.requesterId, tool.name);
      if (!approved) {
        try {
          approved = (
            await this.deps.approvals.request({
              run,
              tool: tool.name,
              callId,
              args: parsed.data,
              signal,
              onAwaiting: observer.onAwaitingApproval,
            })
          ).approved;
        } catch (error) {
          return this.refuse(
            base,
            'approval_denied',
            `Approval was not given: ${messageOf(error)}`,
            authorization.policies,
            'deny',
          );
        }
      }
      if (!approved)
        return this.refuse(
          base,
          'approval_denied',
          `${run.requesterId} declined this ${tool.name} call`,
          authorization.policies,
          'deny',
        );
      // The wait may have been long: decide again at time of use.
      authorization = await this.authorize(run, tool);
      if (!authorization.allowed)
        return this.refuse(base, 'denied', authorization.reason, authorization.policies, 'deny');
    }
    if (signal.aborted) return this.refuse(base, 'failed', 'The run was cancelled', authorization.policies, 'deny');

    // 3. mint the grant for this one call
    const grant = this.deps.grants.mint({
      subject: authorization.principal.id,
      actor: this.deps.agentId,
      audience: tool.audience,
      scope: tool.scope,
      threadId: run.threadId,
      runId: run.id,
      mode: run.mode,
      requester: run.requesterId,
      subjectGroups: authorization.principal.groups,
      callId,
    });

    // 4. execute, after recording the intent (a crash leaves a trace; a call id runs once)
    if (!(await this.deps.audit.beginCall({ callId, runId: run.id, tool: tool.name, argsHash, startedAt: started }))) {
      return this.refuse(
        { ...base, callId: duplicateCallId(callId), claimed: true },
        'denied',
        `Tool call id ${callId} was already used`,
        authorization.policies,
        'deny',
      );
    }
    const claimed = { ...base, claimed: true };
    // From here on execution has begun: every outcome carries what the call read or tried to (I5).
    const declared = new Set<string>();
    const outcomeLabels = (): string[] => (declared.size > 0 ? [...declared].sort() : [UNCLASSIFIED_LABEL]);
    if (tool.effect === 'write') {
      // A write cannot be taken back once done: its record commits first, so that when the audit
      // store cannot write, the write does not happen (I6). Reads are released only after their
      // records commit (below), which keeps them off the model's context instead.
      try {
        await this.deps.audit.append({
          ...this.auditBase(claimed),
          action: 'data.write',
          resource: `tool:${tool.name}`,
          decision: 'allow',
          policies: authorization.policies,
          reason: `about to run ${tool.name} for ${run.requesterId}`,
        });
      } catch (error) {
        await this.deps.toolCalls.complete(callId, this.deps.clock.now());
        throw error;
      }
    }
    let output: ToolOutput;
    try {
      output = await this.execute(tool, parsed.data, {
        agent: this.deps.agentId,
        threadId: run.threadId,
        runId: run.id,
        callId,
        grant,
        signal,
        willRead: (labels) => {
          for (const label of labels) declared.add(label);
        },
      });
    } catch (error) {
      const labels = outcomeLabels();
      // A refusal names the policies that refused, not those that let the call through to the
      // tool: "refused by users-use-tools" would send the reader to the wrong rule.
      if (error instanceof ToolDeniedError)
        return this.refuse(claimed, 'denied', error.message, error.policies, 'deny', labels);
      if (error instanceof GrantRefusedError) return this.refuse(claimed, 'denied', error.message, [], 'deny', labels);
      const code: ToolErrorCode = error instanceof ToolTimeoutError ? 'timeout' : 'failed';
      const message = `${tool.name} failed: ${messageOf(error)}`;
      return this.refuse(claimed, code, message, authorization.policies, 'error', labels);
    }

    // 5. label, 6. audit — the result is released only once its records committed. A success
    // never carries fewer labels than the call declared it would read.
    const labels = labelsOfResult(output.labels, declared);
    const limited = limitOutput(output.content, this.maxOutputChars);
    // Appended in one tick, so the group commit writes them in one transaction, in this order.
    await Promise.all([
      ...(output.accesses ?? []).map((access) =>
        this.deps.audit.append({ ...this.auditBase(claimed), ...access, labels: access.labels ?? [] }),
      ),
      this.deps.audit.append({
        ...this.auditBase(claimed),
        action: TOOL_CALL_ACTION,
        resource: `tool:${tool.name}`,
        decision: 'allow',
        policies: authorization.policies,
        resultHash: hashValue(output.content ?? null),
        labels,
      }),
    ]);
    return {
      envelope: { ok: true, content: limited.content, labels, ...(limited.truncated ? { truncated: true } : {}) },
      labels,
      step: {
        ...this.step(base, 'allow', authorization.policies, undefined, labels),
        ...labelSourcesOf(output, labels),
      },
    };
  }

  /** Records a call the model made that never reached `call` (unknown tool, unparsable input). */
  async rejectUnparsed(
    run: GatewayRun,
    toolName: string,
    callId: string,
    rawInput: unknown,
    reason: string,
  ): Promise<GatewayCallResult> {
    const base = { run, toolName, callId, argsHash: hashValue(rawInput ?? null), started: this.deps.clock.now() };
    return this.refuse(
      base,
      this.deps.registry.get(toolName) ? 'invalid_arguments' : 'unknown_tool',
      reason,
      [],
      'deny',
    );
  }

  /**
   * Refuses a call whose id this run already used, without touching that id's intent or
   * terminal record: it is recorded under a fresh id of its own.
   */
  async refuseReusedId(run: GatewayRun, toolName: string, args: unknown, callId: string): Promise<GatewayCallResult> {
    const base = {
      run,
      toolName,
      callId: duplicateCallId(callId),
      argsHash: hashValue(args ?? null),
      started: this.deps.clock.now(),
      claimed: true,
    };
    return this.refuse(base, 'denied', `Tool call id ${callId} was already used`, [], 'deny');
  }

  private async authorize(
    run: GatewayRun,
    tool: ToolDefinition,
  ): Promise<
    | { allowed: true; needsApproval: boolean; principal: ActingPrincipal; policies: string[] }
    | { allowed: false; reason: string; policies: string[] }
  > {
    try {
      const membership = await this.deps.policy.authorize({
        principal: { type: 'User', id: run.requesterId },
        action: 'invokeAgent',
        resource: { type: 'Thread', id: run.threadId },
        context: { viaAgent: false },
      });
      if (membership.effect !== 'allow') {
        return {
          allowed: false,
          reason: `${run.requesterId} may no longer invoke the agent in this thread`,
          policies: membership.policies,
        };
      }
      const acting = await this.actingPrincipal(run);
      if (!acting) return { allowed: false, reason: 'The acting principal no longer exists', policies: [] };
      const context = { viaAgent: true, mode: run.mode };
      const resource = { type: 'Tool', id: tool.name } as const;
      const [use, unattended] = await this.deps.policy.authorizeMany([
        { principal: acting.ref, action: 'useTool', resource, context },
        { principal: acting.ref, action: 'useToolUnattended', resource, context },
      ]);
      if (use?.effect !== 'allow') {
        return {
          allowed: false,
          reason: use?.reason ?? `No policy allows ${tool.name}`,
          policies: use?.policies ?? [],
        };
      }
      const decisions: Decision[] = unattended ? [membership, use, unattended] : [membership, use];
      return {
        allowed: true,
        needsApproval: unattended?.effect !== 'allow',
        principal: acting.principal,
        policies: policiesOf(decisions),
      };
    } catch (error) {
      return { allowed: false, reason: `Authorization failed: ${messageOf(error)}`, policies: [] };
    }
  }

  private async actingPrincipal(
    run: GatewayRun,
  ): Promise<{ principal: ActingPrincipal; ref: PrincipalRef } | undefined> {
    if (run.mode === 'self') {
      // The provisioned identity assigned to the thread now (I3), never groups from elsewhere.
      // With none assigned, an identity holding no groups (the safe default).
      const thread = await this.deps.threads.get(run.threadId);
      if (!thread) return undefined;
      const identity = thread.agentId ? await this.deps.agents.get(thread.agentId) : undefined;
      const id = identity?.id ?? unassignedAgentId(thread.id);
      return {
        principal: { id: `agent:${id}`, groups: identity?.groups ?? [], mode: 'self', requester: run.requesterId },
        ref: { type: 'Agent', threadId: run.threadId },
      };
    }
    const user = await this.deps.users.get(run.requesterId);
    if (!user) return undefined;
    return {
      principal: { id: user.id, groups: user.groups, mode: 'user', requester: user.id },
      ref: { type: 'User', id: user.id },
    };
  }

  private async execute(
    tool: ToolDefinition,
    input: unknown,
    context: Parameters<ToolDefinition['execute']>[1],
  ): Promise<ToolOutput> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ToolTimeoutError(this.toolTimeoutMs)), this.toolTimeoutMs);
    });
    try {
      return await Promise.race([tool.execute(input, context), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Ends a call that did not succeed in its one terminal record. A call refused before its intent
   * was recorded claims its id first, so that an id is used once whatever the outcome: a later
   * (or concurrent) call reusing it is refused instead of executing under a finished id, and
   * this refusal, when it loses that race, is recorded under a fresh id of its own.
   */
  private async refuse(
    base: { run: GatewayRun; toolName: string; callId: string; argsHash: string; started: number; claimed?: boolean },
    code: ToolErrorCode,
    message: string,
    policies: string[],
    decision: 'deny' | 'error',
    /** What the call read or tried to read; none for a refusal before execution began. */
    labels: string[] = [],
  ): Promise<GatewayCallResult> {
    if (!base.claimed) {
      const begun = await this.deps.audit.beginCall({
        callId: base.callId,
        runId: base.run.id,
        tool: base.toolName.slice(0, 100),
        argsHash: base.argsHash,
        startedAt: base.started,
      });
      if (!begun) base = { ...base, callId: duplicateCallId(base.callId) };
    }
    await this.deps.audit.append({
      ...this.auditBase(base),
      action: TOOL_CALL_ACTION,
      resource: `tool:${base.toolName.slice(0, 100)}`,
      decision,
      policies,
      reason: message,
      ...(labels.length > 0 ? { labels } : {}),
    });
    return {
      envelope: { ok: false, error: { code, message, policies }, ...(labels.length > 0 ? { labels } : {}) },
      labels,
      step: this.step(base, decision, policies, message, labels.length > 0 ? labels : undefined),
    };
  }

  private auditBase(base: {
    run: GatewayRun;
    callId: string;
    argsHash: string;
  }): Omit<AuditEntry, 'action' | 'resource' | 'decision' | 'policies'> {
    return {
      requester: base.run.requesterId,
      agent: this.deps.agentId,
      mode: base.run.mode,
      threadId: base.run.threadId,
      runId: base.run.id,
      callId: base.callId,
      argsHash: base.argsHash,
    };
  }

  private step(
    base: { toolName: string; callId: string; argsHash: string; started: number },
    decision: 'allow' | 'deny' | 'error',
    policies: string[],
    reason?: string,
    labels?: string[],
  ): GatewayCallResult['step'] {
    return {
      kind: 'tool-call',
      at: base.started,
      callId: base.callId,
      tool: base.toolName.slice(0, 100),
      argsHash: base.argsHash,
      decision,
      policies,
      ...(reason ? { reason } : {}),
      ...(labels ? { labels } : {}),
      durationMs: this.deps.clock.now() - base.started,
    };
  }
}

/** A tool exceeded its time budget. */
export class ToolTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
  }
}

/** A result's labels: its own and those declared before reading, or `unclassified` when none (I5). */
function labelsOfResult(own: readonly string[], declared: ReadonlySet<string>): string[] {
  const labels = new Set([...own, ...declared]);
  return labels.size > 0 ? [...labels].sort() : [UNCLASSIFIED_LABEL];
}

/**
 * Which part of a result produced which of its labels (issue 10 point 2): the tool's own
 * `labelSources`, else the documents, messages and memories its audited accesses name. Only
 * labels the result carries are kept: origins describe labels, they never add or remove one.
 */
function labelSourcesOf(output: ToolOutput, labels: readonly string[]): { labelSources?: LabelSourceWire[] } {
  const carried = new Set(labels);
  const kinds: Record<string, LabelSourceKind> = { document: 'document', message: 'message', memory: 'memory' };
  const sources =
    output.labelSources ??
    (output.accesses ?? []).flatMap((access) => {
      const [prefix = '', ...rest] = access.resource.split(':');
      const kind = kinds[prefix];
      if (!kind || access.decision !== 'allow') return [];
      return (access.labels ?? []).map((label) => ({ label, kind, source: rest.join(':') }));
    });
  const kept = sources.filter((source) => carried.has(source.label));
  return kept.length > 0 ? { labelSources: kept } : {};
}

/** A fresh id for the record of a call that reused an id already taken (never completes that id). */
function duplicateCallId(callId: string): string {
  return `${callId.slice(0, 200)}#duplicate-${randomUUID()}`;
}

function messageOf(error: unknown): string {
  if (isAppError(error)) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
