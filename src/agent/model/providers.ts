import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { AppError } from '../../protocol/errors.ts';
import { createOfflineModel } from './offline-model.ts';

const PROVIDERS = ['openai', 'anthropic', 'openai-compatible'] as const;

const USAGE =
  'Set BEHALF_MODEL to `offline` (the default), `openai:MODEL`, `anthropic:MODEL` or `openai-compatible:MODEL`.';

/**
 * The language model selected by the environment (SPEC §5):
 * - `BEHALF_MODEL` unset or `offline` → Behalf's offline model (no key needed);
 * - `openai:MODEL` → OpenAI, needs `OPENAI_API_KEY`;
 * - `anthropic:MODEL` → Anthropic, needs `ANTHROPIC_API_KEY`;
 * - `openai-compatible:MODEL` → any OpenAI-compatible server (Ollama, vLLM, llama.cpp), needs
 *   `OPENAI_BASE_URL`; `OPENAI_API_KEY` is sent when set.
 *
 * A malformed value or a missing variable throws `AppError('bad_request')` so the app refuses
 * to start rather than failing at the first request. Nothing here touches the network.
 */
export function createLanguageModel(env: Record<string, string | undefined>): LanguageModelV3 {
  const selection = env.BEHALF_MODEL?.trim() ?? '';
  if (selection === '' || selection === 'offline') return createOfflineModel();
  const match = /^([a-z-]+):(\S+)$/.exec(selection);
  const provider = PROVIDERS.find((name) => name === match?.[1]);
  const modelId = match?.[2];
  if (!provider || !modelId) {
    throw new AppError('bad_request', `BEHALF_MODEL=${JSON.stringify(selection)} is not a model selection. ${USAGE}`);
  }
  switch (provider) {
    case 'openai':
      return createOpenAI({ apiKey: required(env, 'OPENAI_API_KEY', selection) })(modelId);
    case 'anthropic':
      return createAnthropic({ apiKey: required(env, 'ANTHROPIC_API_KEY', selection) })(modelId);
    case 'openai-compatible': {
      const baseURL = required(env, 'OPENAI_BASE_URL', selection);
      if (!isHttpUrl(baseURL)) {
        throw new AppError(
          'bad_request',
          `OPENAI_BASE_URL=${JSON.stringify(baseURL)} is not an http(s) URL (e.g. http://localhost:11434/v1).`,
        );
      }
      const apiKey = env.OPENAI_API_KEY?.trim();
      return createOpenAICompatible({ name: 'openai-compatible', baseURL, ...(apiKey ? { apiKey } : {}) }).chatModel(
        modelId,
      );
    }
  }
}

/**
 * A short name for logs and `/api/me`-style displays: `offline` for Behalf's own models (their
 * model id), `provider:model` otherwise (`openai:gpt-4.1`, `anthropic:claude-sonnet-4-5`).
 */
export function describeModel(model: Pick<LanguageModelV3, 'provider' | 'modelId'>): string {
  if (model.provider === 'behalf') return model.modelId;
  // Provider strings carry the API flavour (`openai.responses`, `anthropic.messages`).
  const provider = model.provider.split('.')[0] ?? model.provider;
  return `${provider}:${model.modelId}`;
}

function required(env: Record<string, string | undefined>, name: string, selection: string): string {
  const value = env[name]?.trim();
  if (!value) throw new AppError('bad_request', `BEHALF_MODEL=${selection} needs ${name} to be set.`);
  return value;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
