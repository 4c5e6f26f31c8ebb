import type { TracedAgent } from './types.ts';

/**
 * `gen_ai.provider.name` and `gen_ai.request.model` of a language model: the provider without
 * its API flavour (`openai.responses` → `openai`), `behalf` for the offline model. A model
 * given only by name (a gateway id) has no provider of its own.
 */
export function tracedModel(
  model: string | { provider: string; modelId: string },
): Pick<TracedAgent, 'provider' | 'model'> {
  if (typeof model === 'string') return { model };
  return { provider: model.provider.split('.')[0] || model.provider, model: model.modelId };
}
