/**
 * The scripted and adversarial models tests drive the turn loop with (SPEC §11), kept out of the
 * production tree: `test/architecture` fails if production code imports them.
 *
 * `arbitraryAttackScript` and `attackScriptToModelScript` (fast-check) are imported from
 * `./adversarial-arbitrary.ts` directly.
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
export { createScriptedModel, type ModelScript, type ScriptedModel, type ScriptedPart } from './scripted-model.ts';
