/**
 * Language models for the turn loop: Behalf's offline model and the provider selection from the
 * environment, both AI SDK `LanguageModelV3`s, so the loop is the same whichever is used. The
 * scripted model the tests drive it with lives in `test/support/models/`, the adversarial one in
 * `src/bench/adversary/` (the multiplayer benchmark runs it too).
 */
export { createOfflineModel } from './offline-model.ts';
export { createLanguageModel, describeModel } from './providers.ts';
export { type JsonSchema, type ToolCatalogEntry, toolCatalogOf, toolCatalogOfToolSet } from './tool-catalog.ts';
