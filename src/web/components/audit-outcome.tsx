import type { AuditRecordWire } from '../../protocol/wire.ts';

/** How a record's decision reads on the audit page. */
export interface AuditOutcome {
  label: string;
  /** CSS modifier: `allow`, `deny`, `error`, `unknown`, or `private` (neutral, not an alarm). */
  tone: string;
  /** Longer explanation, for the tooltip and screen readers. */
  title: string;
}

/**
 * The decision in plain words. A `disclosure.decide` record with decision `deny` is not a
 * refusal: the answer was delivered, privately to the requester, because not every member is
 * cleared for its labels (I5) — so it reads "shown privately", in a neutral colour, never a red
 * "deny". Its delivery to the whole thread reads "shown to the thread".
 */
export function auditOutcome(record: Pick<AuditRecordWire, 'action' | 'decision' | 'reason'>): AuditOutcome {
  if (record.action === 'disclosure.decide') {
    return record.decision === 'deny'
      ? {
          label: 'shown privately',
          tone: 'private',
          title: `Delivered to the requester only${record.reason ? ` (${record.reason})` : ''}`,
        }
      : { label: 'shown to the thread', tone: 'allow', title: 'Delivered to every member of the thread' };
  }
  if (record.action === 'disclosure.shared-part' && record.decision === 'allow') {
    return {
      label: 'shown to the thread',
      tone: 'allow',
      title: `The shared part of a split answer, delivered to every member${record.reason ? ` (${record.reason})` : ''}`,
    };
  }
  return { label: record.decision, tone: record.decision, title: `Decision: ${record.decision}` };
}

/** The outcome as a badge. */
export function AuditOutcomeBadge({ record }: { record: Pick<AuditRecordWire, 'action' | 'decision' | 'reason'> }) {
  const outcome = auditOutcome(record);
  return (
    <span className={`badge badge-decision-${outcome.tone}`} title={outcome.title} data-testid="audit-outcome">
      {outcome.label}
    </span>
  );
}
