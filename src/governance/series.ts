import type {
  AuditNamingSection,
  GovernanceMetric,
  GovernanceSeries,
  GovernanceThreadRef,
  IdentitiesSection,
  OutcomesSection,
} from './types.ts';

const METRIC_LABELS: Record<GovernanceMetric, string> = {
  identities: 'Agent identities needed (intents)',
  capabilityLost: 'Capability lost (LCD identity)',
  overPrivileged: 'Over-privileged (union identity)',
  recordsWithoutHumanSelfAuthorized: 'Records without a human (self-authorized)',
  recordsWithoutHumanToday: 'Records without a human (as recorded)',
};

/**
 * Section 4: per-thread metrics aligned on one category axis, and the three designs side by side.
 * A thread's `identities` are its own intents; threads sharing a member set share identities,
 * so the per-thread values may add up to more than the deployment total.
 */
export function governanceSeries(input: {
  threads: readonly GovernanceThreadRef[];
  intentCount: (threadId: string) => number;
  identities: IdentitiesSection;
  outcomes: OutcomesSection;
  audit: AuditNamingSection;
}): GovernanceSeries {
  const outcomes = new Map(input.outcomes.threads.map((entry) => [entry.thread.id, entry]));
  const naming = new Map(input.audit.threads.map((entry) => [entry.thread.id, entry]));
  const values: Record<GovernanceMetric, (threadId: string) => number> = {
    identities: input.intentCount,
    capabilityLost: (id) => outcomes.get(id)?.lcd.capabilityLost ?? 0,
    overPrivileged: (id) => outcomes.get(id)?.union.overPrivileged ?? 0,
    recordsWithoutHumanSelfAuthorized: (id) => naming.get(id)?.withoutHumanSelfAuthorized ?? 0,
    recordsWithoutHumanToday: (id) => naming.get(id)?.withoutHumanToday ?? 0,
  };
  const keys = Object.keys(METRIC_LABELS) as GovernanceMetric[];
  const { audit, outcomes: all } = input;
  return {
    categories: input.threads.map((thread) => thread.title),
    threadIds: input.threads.map((thread) => thread.id),
    metrics: keys.map((key) => ({
      key,
      label: METRIC_LABELS[key],
      values: input.threads.map((thread) => values[key](thread.id)),
    })),
    designs: [
      {
        design: 'user-authorized',
        label: 'User-authorized (Behalf)',
        identities: 0,
        capabilityLost: 0,
        overPrivileged: 0,
        // Every agent record names the requester; only system actions name nobody.
        recordsWithoutHuman: audit.system,
      },
      {
        design: 'self-authorized-lcd',
        label: 'Self-authorized, LCD groups',
        identities: input.identities.selfAuthorized,
        capabilityLost: all.lcd.capabilityLost,
        overPrivileged: all.lcd.overPrivileged,
        recordsWithoutHuman: audit.withoutHumanSelfAuthorized,
      },
      {
        design: 'self-authorized-union',
        label: 'Self-authorized, union groups',
        identities: input.identities.selfAuthorized,
        capabilityLost: all.union.capabilityLost,
        overPrivileged: all.union.overPrivileged,
        recordsWithoutHuman: audit.withoutHumanSelfAuthorized,
      },
    ],
  };
}
