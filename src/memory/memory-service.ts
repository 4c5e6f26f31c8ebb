import type { AuditLog } from '../audit/audit-log.ts';
import type { UserId } from '../identity/types.ts';
import { AppError } from '../protocol/errors.ts';
import type { ThreadService } from '../threads/thread-service.ts';
import type { VisibilityChecker } from '../threads/visibility.ts';
import type { Memory, MemoryStore } from './types.ts';

/**
 * What people do with a thread's memory outside a run (issue 10 point 4): list the memories they
 * are cleared for — the same clearance check as every labelled item (I4, I5), so a memory someone
 * may not read is not even counted — and delete one. Only the person whose request created a
 * memory may delete it, as only the requester may share an answer; the deletion is audited.
 */
export class MemoryService {
  constructor(
    private readonly deps: {
      memories: MemoryStore;
      threads: ThreadService;
      visibility: VisibilityChecker;
      audit: AuditLog;
      agentId: string;
    },
  ) {}

  /** The thread's memories `actor` is cleared for, oldest first. Non-members get `not_found` (I8). */
  async list(actor: UserId, threadId: string): Promise<Memory[]> {
    await this.deps.threads.authorizeThread(actor, threadId, 'readThread');
    const memories = await this.deps.memories.listByThread(threadId);
    const cleared = await Promise.all(
      memories.map(async (memory) => (await this.deps.visibility.clearance(actor, memory.labels)).cleared),
    );
    return memories.filter((_, index) => cleared[index]);
  }

  /**
   * Deletes a memory remembered from `actor`'s own request. A memory of another thread, or one
   * the actor may not read, is `not_found` (its existence is not disclosed); someone else's they
   * can read is `forbidden`. Both refusals and the deletion are audited.
   */
  async delete(actor: UserId, threadId: string, memoryId: string): Promise<void> {
    await this.deps.threads.authorizeThread(actor, threadId, 'readThread');
    const memory = await this.deps.memories.get(memoryId);
    if (!memory || memory.threadId !== threadId) throw new AppError('not_found', 'Memory not found');
    const own = memory.requesterId === actor;
    const readable = own || (await this.deps.visibility.clearance(actor, memory.labels)).cleared;
    const reason = own
      ? 'remembered from their own request'
      : readable
        ? `remembered from ${memory.requesterId}'s request: only they may delete it`
        : 'not cleared for this memory';
    await this.deps.audit.append({
      requester: actor,
      agent: this.deps.agentId,
      mode: 'direct',
      threadId,
      runId: memory.origin.runId,
      action: 'memory.delete',
      resource: `memory:${memory.id}`,
      decision: own ? 'allow' : 'deny',
      policies: [],
      reason,
      labels: [...memory.labels],
    });
    if (!readable) throw new AppError('not_found', 'Memory not found');
    if (!own) throw new AppError('forbidden', 'Only the person whose request created a memory may delete it');
    await this.deps.memories.delete(memory.id);
  }
}
