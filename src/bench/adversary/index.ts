/**
 * The adversarial model of SPEC §11: it calls every offered tool with every hostile argument it
 * can construct, obeys injected instructions and answers with everything it saw. The invariant
 * suites drive the engine with it, and `behalf bench multiplayer` runs its conversations with it,
 * which is why it lives in `src/` (production code never imports test code).
 */
export { type AdversarialModelOptions, createAdversarialModel } from './adversarial-model.ts';
export type { AdversaryVictims, Attack, AttackCategory } from './adversarial-types.ts';
export {
  CREDENTIAL_KEYS,
  hostileTokens,
  IDENTITY_KEYS,
  SCOPE_KEYS,
  UNKNOWN_TOOL_NAMES,
} from './hostile-values.ts';
export { type PlanOptions, plannedAttacks } from './planned-attacks.ts';
