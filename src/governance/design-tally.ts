import type { AuditRecord } from '../audit/types.ts';
import type { CheckDifference } from './replay-decisions.ts';
import type { DesignOutcomes, OutcomeDifferenceKind, OutcomeExample } from './types.ts';

/**
 * Counts, for one identity design, the replayed records whose outcome differs, keeping the first
 * `maxExamples` of each kind (records arrive in seq order, so examples are the earliest).
 */
export class DesignTally {
  private capabilityLost = 0;
  private overPrivileged = 0;
  private readonly examples: Record<OutcomeDifferenceKind, OutcomeExample[]> = {
    'capability-lost': [],
    'over-privileged': [],
  };

  constructor(private readonly maxExamples: number) {}

  add(record: AuditRecord & { requester: string; threadId: string }, difference: CheckDifference): void {
    if (difference.lost.length > 0) {
      this.capabilityLost += 1;
      this.keep('capability-lost', record, difference.lost);
    }
    if (difference.gained.length > 0) {
      this.overPrivileged += 1;
      this.keep('over-privileged', record, difference.gained);
    }
  }

  result(): DesignOutcomes {
    return {
      capabilityLost: this.capabilityLost,
      overPrivileged: this.overPrivileged,
      examples: [...this.examples['capability-lost'], ...this.examples['over-privileged']],
    };
  }

  private keep(
    kind: OutcomeDifferenceKind,
    record: AuditRecord & { requester: string; threadId: string },
    subjects: string[],
  ): void {
    const kept = this.examples[kind];
    if (kept.length >= this.maxExamples) return;
    kept.push({
      kind,
      seq: record.seq,
      requester: record.requester,
      threadId: record.threadId,
      action: record.action,
      resource: record.resource,
      subjects: [...subjects],
    });
  }
}
