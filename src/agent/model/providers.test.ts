import { describe, expect, it } from 'vitest';
import { AppError } from '../../protocol/errors.ts';
import { createLanguageModel, describeModel } from './providers.ts';

function failure(env: Record<string, string | undefined>): AppError {
  try {
    createLanguageModel(env);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected createLanguageModel to throw');
}

describe('createLanguageModel', () => {
  it.each([{}, { BEHALF_MODEL: '' }, { BEHALF_MODEL: 'offline' }, { BEHALF_MODEL: ' offline ' }])(
    'selects the offline model for %j',
    (env) => {
      const model = createLanguageModel(env);
      expect([model.provider, model.modelId, model.specificationVersion]).toEqual(['behalf', 'offline', 'v3']);
      expect(describeModel(model)).toBe('offline');
    },
  );

  it('selects OpenAI with OPENAI_API_KEY', () => {
    const model = createLanguageModel({ BEHALF_MODEL: 'openai:gpt-4.1', OPENAI_API_KEY: 'sk-test' });
    expect(model.provider).toMatch(/^openai\./);
    expect(model.modelId).toBe('gpt-4.1');
    expect(describeModel(model)).toBe('openai:gpt-4.1');
  });

  it('selects Anthropic with ANTHROPIC_API_KEY', () => {
    const model = createLanguageModel({
      BEHALF_MODEL: 'anthropic:claude-sonnet-4-5',
      ANTHROPIC_API_KEY: 'sk-ant-test',
    });
    expect(model.provider).toMatch(/^anthropic\./);
    expect(describeModel(model)).toBe('anthropic:claude-sonnet-4-5');
  });

  it('selects an OpenAI-compatible server with OPENAI_BASE_URL, key optional', () => {
    const model = createLanguageModel({
      BEHALF_MODEL: 'openai-compatible:llama3.1:8b',
      OPENAI_BASE_URL: 'http://localhost:11434/v1',
    });
    expect(model.provider).toMatch(/^openai-compatible\./);
    expect(model.modelId).toBe('llama3.1:8b');
    expect(describeModel(model)).toBe('openai-compatible:llama3.1:8b');
  });

  it.each([
    [{ BEHALF_MODEL: 'gpt-4.1' }, /not a model selection/],
    [{ BEHALF_MODEL: 'mistral:large' }, /not a model selection/],
    [{ BEHALF_MODEL: 'openai:' }, /not a model selection/],
    [{ BEHALF_MODEL: 'openai:gpt 4' }, /not a model selection/],
    [{ BEHALF_MODEL: 'openai:gpt-4.1' }, /needs OPENAI_API_KEY/],
    [{ BEHALF_MODEL: 'openai:gpt-4.1', OPENAI_API_KEY: '  ' }, /needs OPENAI_API_KEY/],
    [{ BEHALF_MODEL: 'anthropic:claude-sonnet-4-5' }, /needs ANTHROPIC_API_KEY/],
    [{ BEHALF_MODEL: 'openai-compatible:llama3', OPENAI_API_KEY: 'k' }, /needs OPENAI_BASE_URL/],
    [{ BEHALF_MODEL: 'openai-compatible:llama3', OPENAI_BASE_URL: 'localhost:11434' }, /not an http\(s\) URL/],
  ])('refuses %j', (env, message) => {
    const error = failure(env);
    expect(error.code).toBe('bad_request');
    expect(error.message).toMatch(message);
  });
});
