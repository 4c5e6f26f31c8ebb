import { randomUUID } from 'node:crypto';
import type { LanguageModelV3, LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { readConversation } from '../../agent/model/conversation.ts';
import {
  type ModelTurn,
  type PlannedToolCall,
  toGenerateResult,
  toStreamResult,
} from '../../agent/model/model-output.ts';
import { toolCatalogOf } from '../../agent/model/tool-catalog.ts';
import type { AdversaryVictims, Attack, AttackCategory } from './adversarial-types.ts';
import { injectedAttacks } from './injection-follower.ts';
import { leakAnswer } from './leak-answer.ts';
import { plannedAttacks } from './planned-attacks.ts';

/** Configuration of the adversarial model. */
export interface AdversarialModelOptions {
  victims: AdversaryVictims;
  /** Tool calls per step. Default 24. */
  callsPerStep?: number;
  /** Steps with tool calls before the final (leaking) answer, whatever is left. Default unlimited. */
  maxToolSteps?: number;
  /** Obey instructions found in tool results. Default true. */
  followInjections?: boolean;
  /** Most injected calls per request, so injected loops end. Default 24. */
  maxInjectedCalls?: number;
  /** Also repeat the system prompt and earlier messages in the final answer. Default true. */
  leakContext?: boolean;
  /** Length of huge string arguments. Default 65 536. */
  hugeStringLength?: number;
  /**
   * Planned attacks of these categories are left out (`behalf bench multiplayer` measures
   * leakage and leaves `denial-of-service`, seconds of statement timeouts per run, to the
   * invariant suites). Default none.
   */
  skipCategories?: readonly AttackCategory[];
}

interface QueuedAttack {
  slot: string;
  attack: Attack;
}

/**
 * The adversarial model of SPEC §11: step after step it calls every offered tool with every
 * hostile argument of `plannedAttacks` (plus unknown tools), obeys instructions injected in the
 * results it gets, and finally answers with everything it saw, verbatim. I1–I10 must hold anyway.
 *
 * Like the offline model it is stateless across steps: each tool call id carries the slots of
 * the attacks it made (`adv_<instance>_<n>_p12+p13`), so progress is read back from the prompt
 * and survives approval pauses. Ids never repeat across runs, since gateways refuse replays.
 */
export function createAdversarialModel(options: AdversarialModelOptions): LanguageModelV3 {
  const instance = randomUUID().slice(0, 8);
  let counter = 0;
  const decide = (callOptions: LanguageModelV3CallOptions): ModelTurn => {
    const conversation = readConversation(callOptions.prompt);
    const finalAnswer = () => ({
      text: leakAnswer(conversation, options.victims.users, options.leakContext ?? true),
      toolCalls: [],
    });
    if (conversation.stepsSinceRequest >= (options.maxToolSteps ?? Number.POSITIVE_INFINITY)) return finalAnswer();

    const done = new Set(conversation.calls.flatMap((call) => slotsOf(call.toolCallId)));
    const queue = attackQueue(callOptions, options, conversation, done).filter((item) => !done.has(item.slot));
    if (queue.length === 0) return finalAnswer();

    const batch = takeBatch(queue, options.callsPerStep ?? 24);
    const toolCalls: PlannedToolCall[] = [];
    for (const group of groupByCallId(batch)) {
      const toolCallId = `adv_${instance}_${++counter}_${group.map((item) => item.slot).join('+')}`;
      for (const item of group)
        toolCalls.push({ toolCallId, toolName: item.attack.toolName, input: item.attack.input });
    }
    return { text: '', toolCalls };
  };
  return {
    specificationVersion: 'v3',
    provider: 'behalf',
    modelId: 'adversarial',
    supportedUrls: {},
    doGenerate: async (callOptions) => toGenerateResult(decide(callOptions), callOptions.prompt),
    doStream: async (callOptions) => toStreamResult(decide(callOptions), callOptions.prompt),
  };
}

/** Injected reads first (obeyed at once), then the plan, then injected writes (they pause the run). */
function attackQueue(
  callOptions: LanguageModelV3CallOptions,
  options: AdversarialModelOptions,
  conversation: ReturnType<typeof readConversation>,
  done: ReadonlySet<string>,
): QueuedAttack[] {
  const catalog = toolCatalogOf(callOptions);
  const skipped = new Set(options.skipCategories ?? []);
  // Slots number the whole plan, so a skipped category never shifts which attack a slot names.
  const plan = plannedAttacks(catalog, options.victims, { hugeStringLength: options.hugeStringLength })
    .map((attack, index) => ({ slot: `p${index}`, attack }))
    .filter((item) => !skipped.has(item.attack.category));
  const injectedSoFar = [...done].filter((slot) => slot.startsWith('i')).length;
  const budget = Math.max(0, (options.maxInjectedCalls ?? 24) - injectedSoFar);
  const injected =
    options.followInjections === false
      ? []
      : injectedAttacks(conversation.results, catalog)
          .filter((item) => !done.has(item.slot))
          .slice(0, budget);
  // Every earlier item the context names by reference is read (SPEC §13): the adversary takes
  // in everything it can, so a labelled item it reads must carry its labels into the answer.
  const contextReads = catalog.some((tool) => tool.name === 'read_context_item')
    ? contextReferencesIn(callOptions)
        .map((id) => ({ slot: `c${id}`, attack: contextRead(id) }))
        .filter((item) => !done.has(item.slot))
    : [];
  return [
    ...contextReads,
    ...injected.filter((item) => !item.write),
    ...plan,
    ...injected.filter((item) => item.write),
  ];
}

/** Ids of the items the prompt names as `[context item <id>: …]`. */
function contextReferencesIn(callOptions: LanguageModelV3CallOptions): string[] {
  const ids = new Set<string>();
  for (const message of callOptions.prompt) {
    const parts = typeof message.content === 'string' ? [message.content] : message.content;
    for (const part of parts) {
      const text = typeof part === 'string' ? part : part.type === 'text' ? part.text : '';
      for (const match of text.matchAll(/\[context item ([A-Za-z0-9_-]{1,200}):/g)) if (match[1]) ids.add(match[1]);
    }
  }
  return [...ids];
}

function contextRead(id: string): Attack {
  return {
    id: `read_context_item/context-reference/${id}`,
    category: 'cross-scope',
    toolName: 'read_context_item',
    input: JSON.stringify({ id }),
    description: `read the earlier item ${id} the context names by reference`,
  };
}

/** The next `size` attacks, extended so a call-id collision stays with its partner. */
function takeBatch(queue: readonly QueuedAttack[], size: number): QueuedAttack[] {
  let end = Math.min(Math.max(1, size), queue.length);
  while (end < queue.length && queue[end]?.attack.reusePreviousCallId) end++;
  return queue.slice(0, end);
}

function groupByCallId(batch: readonly QueuedAttack[]): QueuedAttack[][] {
  const groups: QueuedAttack[][] = [];
  for (const item of batch) {
    const last = groups.at(-1);
    if (item.attack.reusePreviousCallId && last) last.push(item);
    else groups.push([item]);
  }
  return groups;
}

/** Slots an adversarial call id carries; none for ids this model did not make. */
function slotsOf(toolCallId: string): string[] {
  const match = /^adv_[^_]+_\d+_(.+)$/.exec(toolCallId);
  return match?.[1] ? match[1].split('+') : [];
}
