import type { AuditLog } from '../audit/audit-log.ts';
import type { EventBus } from '../events/types.ts';
import type { UserId } from '../identity/types.ts';
import type { PolicyEngine } from '../policy/types.ts';
import { AppError } from '../protocol/errors.ts';
import { hashValue } from '../shared/hash.ts';
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
  /** Every member the share would release the answer to: the thread's members now. */
  readers: UserId[];
  /**
   * Binds a share to this preview: it changes when the audience, the labels or earlier shares
   * change, and a share sent with a stale version is refused with the new preview (409).
   */
  version: string;
}

/**
 * Sharing a private answer with the thread (SPEC I5): an audited declassification that only the
 * answer's requester may ask for and that policy may refuse, label by label (`declassifyLabel`).
 * A share releases the answer to the readers its preview named, recorded on the message; its
 * labels stay, so someone who joins later reads it only if cleared, or after another share.
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
    return this.previewOf(actor, await this.shareableAnswerOf(actor, messageId));
  }

  /**
   * Shares the answer with the members named by the preview whose `version` the caller saw
   * (omitted: the audience as it is now). Refuses with `conflict` and the new preview when the
   * audience or labels changed since, `forbidden` with the policy's reason, and `conflict` when
   * every member can already read it.
   */
  async share(actor: UserId, messageId: string, expectedVersion?: string): Promise<Message> {
    const message = await this.shareableAnswerOf(actor, messageId);
    const preview = await this.previewOf(actor, message);
    if (expectedVersion !== undefined && expectedVersion !== preview.version) {
      throw new AppError('conflict', 'Who would see this answer changed since the preview; review it again', {
        preview,
      });
    }
    if (preview.allowed && preview.newReaders.length === 0) {
      throw new AppError('conflict', 'Every member of the thread can already read this answer');
    }
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
        ? `released to ${preview.readers.join(', ')}; declassified ${preview.declassifies.join(', ') || 'nothing'} for ${preview.newReaders.map((reader) => reader.userId).join(', ')}`
        : (preview.reason ?? 'refused'),
    });
    if (!preview.allowed)
      throw new AppError('forbidden', preview.reason ?? 'Policy does not allow sharing this answer', {
        policies: preview.policies,
      });
    const shared = await this.deps.messages.share(messageId, {
      sharedWith: [...new Set([...message.sharedWith, ...preview.readers])].sort(),
      sharedBy: actor,
    });
    this.deps.events.publish({ type: 'message-updated', threadId: shared.threadId, message: shared });
    return shared;
  }

  private async previewOf(actor: UserId, message: Message): Promise<SharePreview> {
    const members = [...(await this.deps.threads.members(message.threadId))].sort();
    const newReaders: SharePreview['newReaders'] = [];
    for (const member of members) {
      if (member === actor || message.sharedWith.includes(member)) continue;
      const clearance = await this.deps.visibility.clearance(member, message.labels);
      if (!clearance.cleared)
        newReaders.push({ userId: member, labels: clearance.missing.length ? clearance.missing : message.labels });
    }
    const declassifies = [...new Set(newReaders.flatMap((reader) => reader.labels))].sort();
    const decisions = await this.deps.policy.authorizeMany([
      {
        principal: { type: 'User', id: actor },
        action: 'shareAnswer',
        resource: { type: 'Message', id: message.id },
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
    const version = hashValue({
      readers: members,
      labels: [...message.labels].sort(),
      sharedWith: message.sharedWith,
      newReaders,
    }).slice(0, 32);
    return {
      messageId: message.id,
      allowed: !denied,
      reason: denied ? (denied.reason ?? 'Policy does not allow sharing this answer') : null,
      policies: denied ? denied.policies : policiesOf(decisions),
      newReaders,
      declassifies,
      readers: members,
      version,
    };
  }

  /**
   * The agent answer `actor` asked for, private or shared before (it may be shared again with
   * members who joined since); anything else they may not know of is `not_found`.
   */
  private async shareableAnswerOf(actor: UserId, messageId: string): Promise<Message> {
    const message = await this.deps.messages.get(messageId);
    if (!message) throw new AppError('not_found', 'Message not found');
    await this.deps.threadService.authorizeThread(actor, message.threadId, 'readThread');
    const visible = await this.deps.visibility.check(actor, message);
    if (!visible.visible) throw new AppError('not_found', 'Message not found');
    if (message.kind !== 'agent' || message.requesterId !== actor) {
      throw new AppError('forbidden', 'Only the person who asked can share an answer');
    }
    if (message.audience.kind === 'thread' && message.sharedBy === null)
      throw new AppError('conflict', 'This answer is already visible to the thread');
    return message;
  }
}
