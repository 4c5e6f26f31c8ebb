export type { CedarPolicyEngineOptions } from './cedar-policy-engine.ts';
export { createCedarPolicyEngine } from './cedar-policy-engine.ts';
export { DEFAULT_SCHEMA_PATH, readDefaultSchema } from './default-schema.ts';
export type { LabelFacts, LabelKind } from './label-entity.ts';
export { ACL_LABEL_PREFIX, aclLabelFor, KNOWN_LABEL_KINDS, labelEntityFor, labelFacts } from './label-entity.ts';
export { DEFAULT_POLICY_DIR, loadPolicyDirectory } from './policy-loader.ts';
export type { MemoryEntityResolver, SeedData, Unversioned } from './testing.ts';
export {
  createAcmeEntityResolver,
  createAcmeTestEngine,
  createMemoryEntityResolver,
  DEMO_TOOL_EFFECTS,
} from './testing.ts';
export type {
  AuthorizationRequest,
  Decision,
  DecisionContext,
  EntityResolver,
  PolicyAction,
  PolicyEngine,
  PrincipalRef,
  ResourceRef,
} from './types.ts';
