import type { AuditLog } from '../audit/audit-log.ts';
import type { EventBus } from '../events/types.ts';
import type { AgentIdentityStore, UserId, UserStore } from '../identity/types.ts';
import type { PolicyAction, PolicyEngine } from '../policy/types.ts';
import { AppError } from '../protocol/errors.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Message, MessageStore, Thread, ThreadMode, ThreadStore } from './types.ts';
import type { HiddenMessage, VisibilityChecker } from './visibility.ts';

export interface ThreadServiceDeps {
  threads: ThreadStore;
  messages: MessageStore;
  users: UserStore;
  agents: AgentIdentityStore;
  policy: PolicyEngine;
  audit: AuditLog;
  events: EventBus;
  visibility: VisibilityChecker;
  clock: Clock;
  ids: IdGenerator;
  /** Longest message text accepted, in characters. */
  maxMessageChars?: number;
}

/** A thread as its members see it. */
export interface ThreadView extends Thread {
  members: UserId[];
}

/**
 * Threads, membership and human messages (SPEC I8): only members read a thread, post to it or
 * invoke its agent; only the owner manages it. Every decision is taken against current state;
 * things a caller may not know exist are reported as `not_found`.
 */
export class ThreadService {
  private readonly removalHandlers = new Set<(threadId: string, userId: UserId) => Promise<void>>();
  private readonly maxMessageChars: number;

  constructor(private readonly deps: ThreadServiceDeps) {
    this.maxMessageChars = deps.maxMessageChars ?? 8000;
  }

  /** Registers work to do when a member is removed (cancel their runs, close subscriptions). */
  onMemberRemoved(handler: (threadId: string, userId: UserId) => Promise<void>): void {
    this.removalHandlers.add(handler);
  }

  async create(actor: UserId, input: { title: string; members: UserId[] }): Promise<ThreadView> {
    const title = input.title.trim();
    if (title.length === 0 || title.length > 200)
      throw new AppError('validation_failed', 'A title of 1 to 200 characters is required');
    const members = [...new Set([actor, ...input.members])];
    for (const member of members) await this.requireUser(member);
    const thread = await this.deps.threads.create(
      {
        id: this.deps.ids.next('thr'),
        title,
        ownerId: actor,
        mode: 'user',
        agentId: null,
        createdAt: this.deps.clock.now(),
      },
      members,
    );
    await this.audit(actor, thread.id, 'thread.create', `thread:${thread.id}`, 'allow', []);
    return { ...thread, members };
  }

  async listForUser(actor: UserId): Promise<Thread[]> {
    return this.deps.threads.listForUser(actor);
  }

  /** The thread, if `actor` may read it; otherwise `not_found`. */
  async get(actor: UserId, threadId: string): Promise<ThreadView> {
    const { thread } = await this.authorizeThread(actor, threadId, 'readThread');
    return { ...thread, members: await this.deps.threads.members(threadId) };
  }

  /**
   * Rename, or change how the agent is authorized (owner only). In self-authorized mode the agent
   * acts as the provisioned agent identity the owner picked — one policy lets them assign to this
   * thread (`assignAgent`, decided again whenever the mode or the identity changes) — or, with
   * none picked, as an identity with no groups. The owner never sets groups. Mode and identity
   * changes are audited, refusals included.
   */
  async update(
    actor: UserId,
    threadId: string,
    patch: { title?: string; mode?: ThreadMode; agentId?: string | null },
  ): Promise<ThreadView> {
    const { thread: before, policies } = await this.authorizeThread(actor, threadId, 'manageThread');
    const title = patch.title?.trim();
    if (title !== undefined && (title.length === 0 || title.length > 200)) {
      throw new AppError('validation_failed', 'A title of 1 to 200 characters is required');
    }
    const mode = patch.mode ?? before.mode;
    const agentId = patch.agentId !== undefined ? patch.agentId : before.agentId;
    const agentChanged = agentId !== before.agentId;
    let agentName: string | undefined;
    if (mode === 'self' && agentId !== null && (agentChanged || mode !== before.mode)) {
      agentName = await this.authorizeAgentAssignment(actor, threadId, agentId, policies);
    }
    const thread = await this.deps.threads.update(threadId, {
      ...(title !== undefined ? { title } : {}),
      ...(patch.mode !== undefined ? { mode: patch.mode } : {}),
      ...(patch.agentId !== undefined ? { agentId: patch.agentId } : {}),
    });
    if (mode !== before.mode || (mode === 'self' && agentChanged)) {
      const side = (which: ThreadMode, agent: string | null) => (which === 'self' && agent ? `self (${agent})` : which);
      const change = `${side(before.mode, before.agentId)} → ${side(mode, agentId)}`;
      await this.audit(actor, threadId, 'thread.mode', `thread:${threadId}`, 'allow', policies, change);
      const acting = agentId ? `acting as the agent identity ${agentName ?? agentId}` : 'with no groups of its own';
      await this.notice(
        threadId,
        mode === 'self'
          ? `Agent mode changed to self-authorized, ${acting}, by ${await this.nameOf(actor)}`
          : `Agent mode changed to user-authorized by ${await this.nameOf(actor)}`,
      );
    }
    this.deps.events.publish({ type: 'thread-updated', threadId, thread });
    return { ...thread, members: await this.deps.threads.members(threadId) };
  }

  /** Decides `assignAgent` for the owner and the identity; audits and throws on refusal. */
  private async authorizeAgentAssignment(
    actor: UserId,
    threadId: string,
    agentId: string,
    threadPolicies: string[],
  ): Promise<string> {
    const identity = await this.deps.agents.get(agentId);
    const decision = identity
      ? await this.deps.policy.authorize({
          principal: { type: 'User', id: actor },
          action: 'assignAgent',
          resource: { type: 'Agent', id: agentId },
          context: { viaAgent: false, threadId },
        })
      : undefined;
    const allowed = decision?.effect === 'allow';
    await this.audit(
      actor,
      threadId,
      'thread.agent-assign',
      `agent:${agentId.slice(0, 100)}`,
      allowed ? 'allow' : 'deny',
      [...threadPolicies, ...(decision?.policies ?? [])],
      allowed ? undefined : (decision?.reason ?? 'no such agent identity'),
    );
    if (!identity) throw new AppError('not_found', `There is no agent identity ${agentId}`);
    if (!allowed) {
      throw new AppError('forbidden', decision?.reason ?? `You may not assign the agent identity ${agentId}`, {
        policies: decision?.policies ?? [],
      });
    }
    return identity.name;
  }

  async addMember(actor: UserId, threadId: string, userId: UserId): Promise<ThreadView> {
    const { policies } = await this.authorizeThread(actor, threadId, 'manageThread');
    await this.requireUser(userId);
    if (await this.deps.threads.addMember(threadId, userId)) {
      await this.audit(actor, threadId, 'thread.member-add', `user:${userId}`, 'allow', policies);
      await this.notice(threadId, `${await this.nameOf(userId)} was added by ${await this.nameOf(actor)}`);
      this.deps.events.publish({ type: 'member-added', threadId, userId });
    }
    return this.get(actor, threadId);
  }

  /** The owner removes a member, or a member leaves. Their runs are cancelled at once (I8). */
  async removeMember(actor: UserId, threadId: string, userId: UserId): Promise<void> {
    const { thread, policies } = await this.authorizeThread(
      actor,
      threadId,
      actor === userId ? 'readThread' : 'manageThread',
    );
    if (userId === thread.ownerId) throw new AppError('conflict', 'The owner cannot be removed from their thread');
    if (!(await this.deps.threads.removeMember(threadId, userId)))
      throw new AppError('not_found', 'Not a member of this thread');
    await this.audit(actor, threadId, 'thread.member-remove', `user:${userId}`, 'allow', policies);
    this.deps.events.publish({ type: 'member-removed', threadId, userId });
    for (const handler of this.removalHandlers) await handler(threadId, userId);
    const removed = await this.nameOf(userId);
    await this.notice(
      threadId,
      actor === userId ? `${removed} left the thread` : `${removed} was removed by ${await this.nameOf(actor)}`,
    );
  }

  /** Stores a human's message. Whether it starts an agent run is the agent runtime's concern. */
  async post(actor: UserId, threadId: string, text: string): Promise<Message> {
    await this.authorizeThread(actor, threadId, 'postMessage');
    const body = text.trim();
    if (body.length === 0) throw new AppError('validation_failed', 'A message needs some text');
    if (body.length > this.maxMessageChars) {
      throw new AppError('payload_too_large', `Messages are limited to ${this.maxMessageChars} characters`);
    }
    return this.appendToThread(threadId, 'human', actor, body);
  }

  /** What `actor` may read of the thread: messages, with placeholders for hidden ones. */
  async listMessages(
    actor: UserId,
    threadId: string,
    options: { afterSeq?: number; limit?: number } = {},
  ): Promise<Array<Message | HiddenMessage>> {
    await this.authorizeThread(actor, threadId, 'readThread');
    const messages = await this.deps.messages.list(threadId, options);
    return Promise.all(messages.map((message) => this.deps.visibility.view(actor, message)));
  }

  /** Loads the thread and requires a thread-level permission; non-members get `not_found`. */
  async authorizeThread(
    actor: UserId,
    threadId: string,
    action: PolicyAction,
  ): Promise<{ thread: Thread; policies: string[] }> {
    const thread = await this.deps.threads.get(threadId);
    if (!thread) throw new AppError('not_found', 'Thread not found');
    const decision = await this.deps.policy.authorize({
      principal: { type: 'User', id: actor },
      action,
      resource: { type: 'Thread', id: threadId },
      context: { viaAgent: false },
    });
    if (decision.effect === 'allow') return { thread, policies: decision.policies };
    if (action === 'readThread' || !(await this.deps.threads.isMember(threadId, actor))) {
      throw new AppError('not_found', 'Thread not found');
    }
    throw new AppError('forbidden', decision.reason ?? 'Not allowed', { policies: decision.policies });
  }

  private async requireUser(userId: UserId): Promise<void> {
    if (!(await this.deps.users.get(userId))) throw new AppError('not_found', `No user ${userId}`);
  }

  /**
   * A person's display name for a notice. Notices are stored text read by every member and every
   * client (web, CLI, SDK), so they name people as people read them, written once here; the
   * directory is public to members, so a name discloses nothing an id did not.
   */
  private async nameOf(userId: UserId): Promise<string> {
    return (await this.deps.users.get(userId))?.name ?? userId;
  }

  private async notice(threadId: string, text: string): Promise<void> {
    await this.appendToThread(threadId, 'system', null, text);
  }

  /** Stores a public message for the whole thread and publishes it. */
  private async appendToThread(
    threadId: string,
    kind: 'human' | 'system',
    authorId: UserId | null,
    text: string,
  ): Promise<Message> {
    const message = await this.deps.messages.append({
      id: this.deps.ids.next('msg'),
      threadId,
      kind,
      authorId,
      text,
      audience: { kind: 'thread' },
      labels: ['public'],
      runId: null,
      requesterId: null,
      privateReason: null,
      sharedBy: null,
      sharedWith: [],
      createdAt: this.deps.clock.now(),
    });
    this.deps.events.publish({ type: 'message-created', threadId, message });
    return message;
  }

  private async audit(
    actor: UserId,
    threadId: string,
    action: string,
    resource: string,
    decision: 'allow' | 'deny',
    policies: string[],
    reason?: string,
  ): Promise<void> {
    await this.deps.audit.append({
      requester: actor,
      agent: null,
      mode: 'direct',
      threadId,
      runId: null,
      action,
      resource,
      decision,
      policies,
      ...(reason ? { reason } : {}),
    });
  }
}
