import type { UserId } from '../identity/types.ts';
import type { Decision, PolicyEngine } from '../policy/types.ts';
import type { Message } from './types.ts';

/** What a reader gets in place of a message they may not see (SPEC I5: placeholders with reason). */
export interface HiddenMessage {
  id: string;
  threadId: string;
  seq: number;
  kind: Message['kind'];
  hidden: true;
  reason: string;
  authorId: UserId | null;
  requesterId: UserId | null;
  createdAt: number;
}

export type Visibility = { visible: true } | { visible: false; reason: string };

/** Outcome of a clearance check over several labels. */
export interface Clearance {
  cleared: boolean;
  /** Labels the reader is not cleared for. */
  missing: string[];
  /** Policies that determined the decisions. */
  policies: string[];
}

/**
 * Read-time visibility of stored items (SPEC I5). A reader sees an item only if they are in its
 * audience **and** cleared for every one of its labels, or a share released it to them; the
 * requester of an agent answer always sees their own answer. Membership of the thread (I8) is checked by the caller, once per request.
 */
export class VisibilityChecker {
  constructor(private readonly policy: PolicyEngine) {}

  /** Whether `reader` may see every label in `labels` (each a `readLabel` decision). */
  async clearance(reader: UserId, labels: readonly string[]): Promise<Clearance> {
    const unique = [...new Set(labels)];
    const decisions = await this.policy.authorizeMany(
      unique.map((label) => ({
        principal: { type: 'User', id: reader },
        action: 'readLabel',
        resource: { type: 'Label', id: label },
        context: { viaAgent: false },
      })),
    );
    const missing = unique.filter((_, index) => decisions[index]?.effect !== 'allow');
    return { cleared: missing.length === 0 && unique.length > 0, missing, policies: policiesOf(decisions) };
  }

  async check(reader: UserId, message: Message): Promise<Visibility> {
    if (message.audience.kind === 'users' && !message.audience.users.includes(reader)) {
      return { visible: false, reason: 'A private answer for another member' };
    }
    if (message.kind === 'agent' && message.requesterId === reader) return { visible: true };
    // A share released it to these readers (an audited declassification), and to no one else.
    if (message.sharedWith.includes(reader)) return { visible: true };
    const clearance = await this.clearance(reader, message.labels);
    if (!clearance.cleared) {
      const what = clearance.missing.length > 0 ? clearance.missing.join(', ') : 'unclassified';
      if (message.sharedBy !== null) {
        return {
          visible: false,
          reason: `Shared before you joined; it contains ${what} data you are not cleared for (${message.sharedBy} can share it again)`,
        };
      }
      return { visible: false, reason: `Contains ${what} data you are not cleared for` };
    }
    return { visible: true };
  }

  /** The message itself, or a placeholder with the reason. */
  async view(reader: UserId, message: Message): Promise<Message | HiddenMessage> {
    const visibility = await this.check(reader, message);
    if (visibility.visible) return message;
    return {
      id: message.id,
      threadId: message.threadId,
      seq: message.seq,
      kind: message.kind,
      hidden: true,
      reason: visibility.reason,
      authorId: message.authorId,
      requesterId: message.requesterId,
      createdAt: message.createdAt,
    };
  }
}

/** Union of the determining policy ids of several decisions, in first-seen order. */
export function policiesOf(decisions: readonly Decision[]): string[] {
  return [...new Set(decisions.flatMap((decision) => decision.policies))];
}
