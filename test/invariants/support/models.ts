import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3Prompt } from '@ai-sdk/provider';
import { readConversation } from '../../../src/agent/model/conversation.ts';
import type { JsonSchema, ToolCatalogEntry } from '../../../src/agent/model/index.ts';
import { leakAnswer } from '../../../src/bench/adversary/leak-answer.ts';
import type { UserId } from '../../../src/identity/types.ts';
import { ACME_DOCUMENTS } from '../../support/acme/demo.ts';
import { attackScriptToModelScript } from '../../support/models/adversarial-arbitrary.ts';
import {
  type AdversaryVictims,
  type Attack,
  createAdversarialModel,
  type ModelScript,
  plannedAttacks,
  type ScriptedPart,
} from '../../support/models/index.ts';
import { USER_IDS } from './flow.ts';

// Models that drive a run: routing per requester, the adversary per requester, scripted slices.

/** Who the adversary attacks when `requester` asks: everyone else, the most privileged first. */
export function victimsFor(requester: UserId, extra: Partial<AdversaryVictims> = {}): AdversaryVictims {
  const others = ['dana', 'alice', 'erin', 'ivy', 'frank', 'bob', 'carol', 'gus'].filter((id) => id !== requester);
  return { users: others, documentIds: ACME_DOCUMENTS.map((document) => document.id), ...extra };
}

/** The requester a run acts for, read from the instructions the runtime gives the model. */
export function requesterOf(prompt: LanguageModelV3Prompt): UserId | undefined {
  const system = prompt.find((message) => message.role === 'system');
  const text = system?.role === 'system' ? system.content : '';
  return /\(([A-Za-z0-9._-]+)\) (?:with their permissions only|asked)/.exec(text)?.[1];
}

/** Every string in a value, one per line, unescaped (so `"salary":1` in a text stays findable). */
function stringsOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(stringsOf).join('\n');
  if (value !== null && typeof value === 'object') return Object.values(value).map(stringsOf).join('\n');
  return value === undefined || value === null ? '' : String(value);
}

/**
 * Text of everything in a prompt: what the model was given (I4). Strings unescaped, plus the
 * JSON of the whole (tool results are objects there, so `"salary":1` appears as such).
 */
export function promptText(prompt: LanguageModelV3Prompt): string {
  return `${stringsOf(prompt)}\n${JSON.stringify(prompt)}`;
}

/** The conversation before the current request: what context assembly gave the model (I4). */
export function historyText(prompt: LanguageModelV3Prompt): string {
  const request = prompt.findLastIndex((message) => message.role === 'user');
  return promptText(prompt.slice(0, request + 1));
}

/**
 * A scripted adversary: the given tool calls step by step, then the answer that leaks every
 * result and everything in its context (the adversarial model's own `leakAnswer`).
 */
export function leakingScript(steps: readonly ScriptedPart[][]): ModelScript {
  return (prompt, step) =>
    steps[step] ?? [{ type: 'text', text: leakAnswer(readConversation(prompt), USER_IDS, true) }];
}

/** A model call as a routing model recorded it. */
export interface RecordedCall {
  requester: UserId | undefined;
  step: number;
  request: string;
  options: LanguageModelV3CallOptions;
}

/** A model that picks the model for each call (by requester or request) and records every call. */
export interface RoutingModel extends LanguageModelV3 {
  readonly calls: RecordedCall[];
}

/**
 * Delegates each call to `route(call)`; `beforeStep` may await (to pause a running turn between
 * steps, I3/I8). Records every call's options, so tests can inspect exactly what the model saw.
 */
export function routingModel(
  route: (call: RecordedCall) => LanguageModelV3,
  beforeStep?: (call: RecordedCall) => Promise<void> | void,
): RoutingModel {
  const calls: RecordedCall[] = [];
  const prepare = async (options: LanguageModelV3CallOptions) => {
    const conversation = readConversation(options.prompt);
    const call: RecordedCall = {
      requester: requesterOf(options.prompt),
      step: conversation.stepsSinceRequest,
      request: conversation.request,
      options,
    };
    calls.push(call);
    await beforeStep?.(call);
    return route(call);
  };
  return {
    specificationVersion: 'v3',
    provider: 'behalf',
    modelId: 'routing',
    supportedUrls: {},
    calls,
    doGenerate: async (options) => (await prepare(options)).doGenerate(options),
    doStream: async (options) => (await prepare(options)).doStream(options),
  };
}

/** The adversarial model of SPEC §11, one per requester (its victims are everyone else). */
export function adversaryPerRequester(
  options: Omit<Parameters<typeof createAdversarialModel>[0], 'victims'> & {
    victims?: (requester: UserId) => AdversaryVictims;
  } = {},
): (call: RecordedCall) => LanguageModelV3 {
  const models = new Map<string, LanguageModelV3>();
  return (call) => {
    const requester = call.requester ?? 'unknown';
    let model = models.get(requester);
    if (!model) {
      model = createAdversarialModel({
        hugeStringLength: 4_096,
        callsPerStep: 64,
        ...options,
        victims: options.victims?.(requester) ?? victimsFor(requester),
      });
      models.set(requester, model);
    }
    return model;
  };
}

/**
 * The adversary's plan as a model script: the planned attacks in steps of `perStep` calls
 * (chosen by `pick`), obeying injections, then the leaking answer. For tests that need an
 * exact, smaller slice of the adversary's behaviour with a scripted model.
 */
export function plannedAttackScript(
  victims: AdversaryVictims,
  options: { perStep?: number; pick?: (attack: Attack, index: number) => boolean; maxSteps?: number } = {},
): ModelScript {
  return (prompt, stepIndex, callOptions) => {
    const catalog = catalogFromOptions(callOptions);
    const plan = plannedAttacks(catalog, victims, { hugeStringLength: 4_096 }).filter(
      (attack, index) => options.pick?.(attack, index) ?? true,
    );
    const perStep = options.perStep ?? 48;
    const steps = [];
    for (let start = 0; start < plan.length; start += perStep) {
      steps.push({ attacks: plan.slice(start, start + perStep), followInjections: true });
    }
    const limited = options.maxSteps !== undefined ? steps.slice(0, options.maxSteps) : steps;
    return attackScriptToModelScript({ steps: limited, leakContext: true }, victims)(prompt, stepIndex, callOptions);
  };
}

function catalogFromOptions(options: LanguageModelV3CallOptions): ToolCatalogEntry[] {
  return (options.tools ?? []).flatMap((tool) =>
    tool.type === 'function'
      ? [{ name: tool.name, description: tool.description ?? '', inputSchema: (tool.inputSchema ?? {}) as JsonSchema }]
      : [],
  );
}
