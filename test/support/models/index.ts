/**
 * The scripted and adversarial models tests drive the turn loop with (SPEC §11). The scripted
 * model is test code; the adversarial model lives in `src/bench/adversary/` because
 * `behalf bench multiplayer` runs it too, and is re-exported here for the suites.
 *
 * `arbitraryAttackScript` and `attackScriptToModelScript` (fast-check) are imported from
 * `./adversarial-arbitrary.ts` directly.
 */
export {
  type AdversarialModelOptions,
  type AdversaryVictims,
  type Attack,
  type AttackCategory,
  CREDENTIAL_KEYS,
  createAdversarialModel,
  hostileTokens,
  IDENTITY_KEYS,
  type PlanOptions,
  plannedAttacks,
  SCOPE_KEYS,
  UNKNOWN_TOOL_NAMES,
} from '../../../src/bench/adversary/index.ts';
export { createScriptedModel, type ModelScript, type ScriptedModel, type ScriptedPart } from './scripted-model.ts';
