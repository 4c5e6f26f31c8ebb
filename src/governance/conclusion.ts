import type { AuditNamingSection, IdentitiesSection, OutcomesSection } from './types.ts';

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/**
 * The governance report's answer in one plain-language sentence, for readers who stop there.
 * Every number in it is a figure of the summary (the same fields), so the sentence, the figures,
 * the charts and the tables never disagree:
 * identities = `identities.selfAuthorized`; refused = `outcomes.lcd.capabilityLost`; over-allowed
 * = `outcomes.union.overPrivileged`, both out of `outcomes.replayed`; records without a human =
 * `audit.withoutHumanSelfAuthorized` out of `audit.total`, against `audit.system` (the
 * user-authorized figure: only system actions name nobody).
 */
export function governanceConclusion(report: {
  identities: IdentitiesSection;
  outcomes: OutcomesSection;
  audit: AuditNamingSection;
}): string {
  const { identities, outcomes, audit } = report;
  const needs = `a self-authorized agent would need ${plural(identities.selfAuthorized, 'agent identity', 'agent identities')} where Behalf needs none`;
  const records = `would leave ${audit.withoutHumanSelfAuthorized} of ${plural(audit.total, 'audit record', 'audit records')} without a human, against ${audit.system} with Behalf`;
  if (outcomes.replayed === 0) {
    return `On this deployment ${needs} and ${records}; no agent request has been made yet, so no outcome can be compared.`;
  }
  return (
    `On this deployment ${needs}, ` +
    `would have refused ${outcomes.lcd.capabilityLost} of ${plural(outcomes.replayed, 'request', 'requests')} its users were allowed (with the groups all members share) ` +
    `or allowed ${outcomes.union.overPrivileged} that were refused (with every member's groups), ` +
    `and ${records}.`
  );
}
