import type { Approval, ApprovalStore } from '../agent/types.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { EventBus } from '../events/types.ts';
import type { UserId } from '../identity/types.ts';
import { AppError } from '../protocol/errors.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { ApprovalGate, ApprovalRequest } from './tool-gateway.ts';

interface Waiter {
  resolve(result: { approved: boolean }): void;
  reject(error: unknown): void;
  /** Tells the caller its run waits (or no longer waits) for the answer, with the trace step. */
  onAwaiting: ApprovalRequest['onAwaiting'];
}

/**
 * Approvals of tool calls (SPEC I7), owned by the gateway side: a call that needs approval
 * waits here for the requester; only the requester can answer. "Always allow" is remembered per
 * (user, tool), never per thread. Every answer is audited. The caller's signal ends the wait at
 * once (a cancelled run); the caller learns of the wait through `onAwaiting`, so nothing here
 * reaches back into the agent runtime.
 */
export class ToolApprovals implements ApprovalGate {
  private readonly waiters = new Map<string, Waiter>();

  constructor(
    private readonly deps: {
      approvals: ApprovalStore;
      audit: AuditLog;
      events: EventBus;
      clock: Clock;
      ids: IdGenerator;
      agentId: string;
      timeoutMs?: number;
      /** How often a waiting request re-reads its approval from the store. Default 3 s. */
      recheckMs?: number;
    },
  ) {
    // An answer given on another process reaches the process whose run waits for it.
    deps.events.subscribe((event) => {
      if (event.type === 'approval-decided' && this.waiters.has(event.approvalId)) {
        this.resume(event.approvalId, event.tool, event.approved).catch(() => {});
      }
    });
  }

  /** The requests waiting for `requesterId`'s answer in one thread (their own only, I7). */
  async pending(requesterId: UserId, threadId: string): Promise<Approval[]> {
    const pending = await this.deps.approvals.listPending({ requesterId });
    return pending.filter((approval) => approval.threadId === threadId);
  }

  hasStanding(userId: UserId, tool: string): Promise<boolean> {
    return this.deps.approvals.hasStanding(userId, tool);
  }

  async request(input: ApprovalRequest): Promise<{ approved: boolean }> {
    const approval = await this.deps.approvals.create({
      id: this.deps.ids.next('apr'),
      runId: input.run.id,
      threadId: input.run.threadId,
      requesterId: input.run.requesterId,
      tool: input.tool,
      callId: input.callId,
      args: input.args,
      createdAt: this.deps.clock.now(),
    });
    const at = this.deps.clock.now();
    const answer = new Promise<{ approved: boolean }>((resolve, reject) => {
      this.waiters.set(approval.id, { resolve, reject, onAwaiting: input.onAwaiting });
    });
    const { signal } = input;
    const onAbort = () => this.settle(approval.id, new AppError('conflict', 'the run was cancelled'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(
      () => this.settle(approval.id, new AppError('conflict', 'the approval request expired')),
      this.deps.timeoutMs ?? 15 * 60_000,
    );
    // Events between processes are at most once: the store is checked too, so an answer given
    // elsewhere while a notification was lost still arrives.
    const recheck = setInterval(() => {
      this.deps.approvals
        .get(approval.id)
        .then((current) => {
          if (current && current.status !== 'pending' && this.waiters.has(approval.id)) {
            return this.resume(approval.id, approval.tool, current.status === 'approved');
          }
          return undefined;
        })
        .catch(() => {});
    }, this.deps.recheckMs ?? 3000);
    recheck.unref();
    try {
      await input.onAwaiting(true, {
        kind: 'approval',
        at,
        approvalId: approval.id,
        tool: input.tool,
        outcome: 'requested',
      });
      this.deps.events.publish({ type: 'approval-requested', threadId: approval.threadId, approval });
      return await answer;
    } catch (error) {
      // Expired, or the run was cancelled: the request is closed as declined (nobody can approve
      // it any more) and a run still waiting on it goes on without the call.
      await this.deps.approvals.decide(approval.id, { approve: false, always: false, at: this.deps.clock.now() });
      await input.onAwaiting(false, {
        kind: 'approval',
        at: this.deps.clock.now(),
        approvalId: approval.id,
        tool: input.tool,
        outcome: 'denied',
      });
      throw error;
    } finally {
      clearTimeout(timer);
      clearInterval(recheck);
      signal?.removeEventListener('abort', onAbort);
      this.waiters.delete(approval.id);
    }
  }

  /** The requester's answer. Anyone else gets `not_found`: they may not know it exists. */
  async decide(actor: UserId, approvalId: string, answer: { approve: boolean; always: boolean }): Promise<Approval> {
    const approval = await this.deps.approvals.get(approvalId);
    if (!approval || approval.requesterId !== actor) throw new AppError('not_found', 'Approval not found');
    if (approval.status !== 'pending') throw new AppError('conflict', 'This approval was already decided');
    // The record commits before the answer takes effect: when the audit store cannot write, the
    // approval (and any "always allow") does not happen (I6).
    await this.deps.audit.append({
      requester: actor,
      agent: this.deps.agentId,
      mode: 'direct',
      threadId: approval.threadId,
      runId: approval.runId,
      action: 'approval.decide',
      resource: `tool:${approval.tool}`,
      decision: answer.approve ? 'allow' : 'deny',
      policies: [],
      callId: approval.callId,
      reason: answer.approve ? (answer.always ? 'approved; always allow this tool' : 'approved once') : 'declined',
    });
    const decided = await this.deps.approvals.decide(approvalId, { ...answer, at: this.deps.clock.now() });
    if (!decided) throw new AppError('conflict', 'This approval was already decided');
    if (answer.approve && answer.always)
      await this.deps.approvals.setStanding(actor, approval.tool, this.deps.clock.now());
    if (this.waiters.has(approvalId)) await this.resume(approvalId, approval.tool, answer.approve);
    // Other processes: the run may be executing there.
    this.deps.events.publish({
      type: 'approval-decided',
      threadId: approval.threadId,
      approvalId,
      runId: approval.runId,
      tool: approval.tool,
      approved: answer.approve,
    });
    return decided;
  }

  /** Moves a run waiting here back to `running` and hands it the answer. */
  private async resume(approvalId: string, tool: string, approved: boolean): Promise<void> {
    await this.waiters.get(approvalId)?.onAwaiting(false, {
      kind: 'approval',
      at: this.deps.clock.now(),
      approvalId,
      tool,
      outcome: approved ? 'approved' : 'denied',
    });
    this.settle(approvalId, { approved });
  }

  private settle(approvalId: string, outcome: { approved: boolean } | Error): void {
    const waiter = this.waiters.get(approvalId);
    if (!waiter) return;
    this.waiters.delete(approvalId);
    if (outcome instanceof Error) waiter.reject(outcome);
    else waiter.resolve(outcome);
  }
}
