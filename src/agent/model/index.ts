/**
 * Language models for the turn loop: Behalf's offline model, the provider selection from the
 * environment, and the scripted and adversarial models the tests drive it with. All of them are
 * AI SDK `LanguageModelV3`s, so the loop is the same whichever is used.
 *
 * `arbitraryAttackScript` and `attackScriptToModelScript` (fast-check, a dev dependency) are
 * imported from `./adversarial-arbitrary.ts` directly, keeping fast-check out of the app.
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
export { createOfflineModel } from './offline-model.ts';
export { type PlanOptions, plannedAttacks } from './planned-attacks.ts';
export { createLanguageModel, describeModel } from './providers.ts';
export { createScriptedModel, type ModelScript, type ScriptedModel, type ScriptedPart } from './scripted-model.ts';
export { type JsonSchema, type ToolCatalogEntry, toolCatalogOf, toolCatalogOfToolSet } from './tool-catalog.ts';
