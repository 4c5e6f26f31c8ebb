/**
 * Language models for the turn loop: Behalf's offline model and the provider selection from the
 * environment, both AI SDK `LanguageModelV3`s, so the loop is the same whichever is used. The
 * scripted and adversarial models the tests drive it with live in `test/support/models/`.
 */
export { createOfflineModel } from './offline-model.ts';
export { createLanguageModel, describeModel } from './providers.ts';
export { type JsonSchema, type ToolCatalogEntry, toolCatalogOf, toolCatalogOfToolSet } from './tool-catalog.ts';
