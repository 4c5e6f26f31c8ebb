/**
 * Shared fixtures of the invariant suites (SPEC §2, §11): the stores every suite runs on,
 * instrumentation of the tools a real app runs, models that attack per requester, helpers that
 * drive runs, the hub's per-reader filter, and oracles computed from the Acme rules
 * independently of the engine.
 */
export { deliverTo, deliveryViolations, disclosureViolations } from './delivery.ts';
export {
  ask,
  auditOfRun,
  autoDecide,
  type Gate,
  gate,
  recordEvents,
  USER_IDS,
  waitFor,
  waitForStatus,
} from './flow.ts';
export { type GrantCase, presentGrants } from './grant-cases.ts';
export {
  adversaryPerRequester,
  historyText,
  leakingScript,
  plannedAttackScript,
  promptText,
  type RecordedCall,
  type RoutingModel,
  routingModel,
  victimsFor,
} from './models.ts';
export {
  type ClearanceRule,
  CONFIDENTIAL_LABELS,
  leakedLabels,
  outputViolations,
} from './oracle.ts';
export { type RawSql, rawSql } from './raw-sql.ts';
export { type InvariantApp, type StoreUnderTest, storesUnderTest } from './stores.ts';
export { catalogOf, type Execution, type Instrumentation, instrumentTools, spyTool } from './tools.ts';
