export type { AccessCheck, ReplayFacts } from './access-checks.ts';
export { checksFor, isReplayable, REPLAYED_ACTIONS } from './access-checks.ts';
export { GOVERNANCE_DEFINITIONS } from './definitions.ts';
export { formatGovernanceProgress, formatGovernanceReport } from './format-report.ts';
export { computeGovernanceReport } from './governance-report.ts';
export { createIdentityDecider, type IdentityDecider } from './identity-decider.ts';
export { type IdentityGroups, identityGroupsOf, memberSetKey } from './identity-groups.ts';
export { CONVERSE_INTENT, labelFamily } from './intents.ts';
export type {
  AuditNamingCounts,
  AuditNamingSection,
  DesignOutcomes,
  GovernanceIntent,
  GovernanceMetric,
  GovernanceProgress,
  GovernanceReport,
  GovernanceReportOptions,
  GovernanceSeries,
  GovernanceStore,
  GovernanceThreadRef,
  IdentitiesSection,
  IdentityMemberSet,
  OutcomeDifferenceKind,
  OutcomeExample,
  OutcomesSection,
  ThreadOutcomes,
} from './types.ts';
