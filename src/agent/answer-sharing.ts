import type { AuditLog } from '../audit/audit-log.ts';
import type { UserId } from '../identity/types.ts';
import type { PolicyEngine } from '../policy/types.ts';
import { AppError } from '../protocol/errors.ts';
import type { EventBus } from '../realtime/types.ts';
import type { ThreadService } from '../threads/thread-service.ts';
import type { Message, MessageStore, ThreadStore } from '../threads/types.ts';
import { policiesOf, type VisibilityChecker } from '../threads/visibility.ts';

/** What sharing a private answer would do, shown in the Share dialog before anyone confirms. */
export interface SharePreview {
  messageId: string;
  allowed: boolean;
  reason: string | null;
  policies: string[];
  /** Members who would newly see the answer, and the labels they are not cleared for. */
  newReaders: Array<{ userId: UserId; labels: string[] }>;
  /** Labels that sharing declassifies. */
  declassifies: string[];
}

/**
 * Sharing a private answer with the thread (SPEC I5): an audited declassification that only the
 * answer's requester may ask for and that policy may refuse, label by label (`declassifyLabel`).
 */
export class AnswerSharing {
  constructor(
    private readonly deps: {
      messages: MessageStore;
      threads: ThreadStore;
      threadService: ThreadService;
      policy: PolicyEngine;
      visibility: VisibilityChecker;
      audit: AuditLog;
      events: EventBus;
      agentId: string;
    },
  ) {}

  async preview(actor: UserId, messageId: string): Promise<SharePreview> {
    const message = await this.privateAnswerOf(actor, messageId);
    const members = await this.deps.threads.members(message.threadId);
    const newReaders: SharePreview['newReaders'] = [];
    for (const member of members) {
      if (member === actor) continue;
      const clearance = await this.deps.visibility.clearance(member, message.labels);
      if (!clearance.cleared)
        newReaders.push({ userId: member, labels: clearance.missing.length ? clearance.missing : message.labels });
    }
    const declassifies = [...new Set(newReaders.flatMap((reader) => reader.labels))];
    const decisions = await this.deps.policy.authorizeMany([
      {
        principal: { type: 'User', id: actor },
        action: 'shareAnswer',
        resource: { type: 'Message', id: messageId },
        context: { viaAgent: false },
      },
      ...declassifies.map((label) => ({
        principal: { type: 'User' as const, id: actor },
        action: 'declassifyLabel' as const,
        resource: { type: 'Label' as const, id: label },
        context: { viaAgent: false, threadId: message.threadId },
      })),
    ]);
    const denied = decisions.find((decision) => decision.effect !== 'allow');
    return {
      messageId,
      allowed: !denied,
      reason: denied ? (denied.reason ?? 'Policy does not allow sharing this answer') : null,
      policies: denied ? denied.policies : policiesOf(decisions),
      newReaders,
      declassifies,
    };
  }

  /** Shares the answer with the thread, or refuses with `forbidden` and the policy's reason. */
  async share(actor: UserId, messageId: string): Promise<Message> {
    const message = await this.privateAnswerOf(actor, messageId);
    const preview = await this.preview(actor, messageId);
    await this.deps.audit.append({
      requester: actor,
      agent: this.deps.agentId,
      mode: 'direct',
      threadId: message.threadId,
      runId: message.runId,
      action: 'message.share',
      resource: `message:${messageId}`,
      decision: preview.allowed ? 'allow' : 'deny',
      policies: preview.policies,
      labels: message.labels,
      reason: preview.allowed
        ? `declassified ${preview.declassifies.join(', ') || 'nothing'} for ${preview.newReaders.map((reader) => reader.userId).join(', ') || 'no new readers'}`
        : (preview.reason ?? 'refused'),
    });
    if (!preview.allowed)
      throw new AppError('forbidden', preview.reason ?? 'Policy does not allow sharing this answer', {
        policies: preview.policies,
      });
    const remaining = message.labels.filter((label) => !preview.declassifies.includes(label));
    const shared = await this.deps.messages.share(messageId, {
      audience: { kind: 'thread' },
      labels: remaining.length > 0 ? remaining : ['public'],
      sharedBy: actor,
    });
    this.deps.events.publish({ type: 'message-updated', threadId: shared.threadId, message: shared });
    return shared;
  }

  /** The private agent answer `actor` asked for; anything else they may not know of is `not_found`. */
  private async privateAnswerOf(actor: UserId, messageId: string): Promise<Message> {
    const message = await this.deps.messages.get(messageId);
    if (!message) throw new AppError('not_found', 'Message not found');
    await this.deps.threadService.authorizeThread(actor, message.threadId, 'readThread');
    const visible = await this.deps.visibility.check(actor, message);
    if (!visible.visible) throw new AppError('not_found', 'Message not found');
    if (message.kind !== 'agent' || message.requesterId !== actor) {
      throw new AppError('forbidden', 'Only the person who asked can share an answer');
    }
    if (message.audience.kind === 'thread')
      throw new AppError('conflict', 'This answer is already visible to the thread');
    return message;
  }
}
