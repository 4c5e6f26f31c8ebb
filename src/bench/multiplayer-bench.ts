import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { z } from 'zod';
import { capabilitiesAnswer } from '../agent/model/capabilities.ts';
import { createOfflineModel } from '../agent/model/offline-model.ts';
import { describedTables } from '../agent/model/table-requests.ts';
import type { JsonSchema, ToolCatalogEntry } from '../agent/model/tool-catalog.ts';
import { defaultWorkspaceDir } from '../app/default-workspace.ts';
import { openDeployment } from '../app/open-deployment.ts';
import type { ToolDescriptor } from '../tools/types.ts';
import { createAdversarialModel } from './adversary/index.ts';
import { baselineInput } from './adversary/schema-arguments.ts';
import type { ConversationScript } from './multiplayer/conversation-script.ts';
import { generateConversations, type MemoryTools } from './multiplayer/conversation-templates.ts';
import { judgeConversation } from './multiplayer/leak-oracle.ts';
import { playConversation } from './multiplayer/play-conversation.ts';
import { recordingModel } from './multiplayer/recording-model.ts';
import { buildSentinels } from './multiplayer/sentinels.ts';
import { gatherWorkspaceFacts, type WorkspaceFacts } from './multiplayer/workspace-facts.ts';
import { seededRandom } from './seeded-random.ts';
import { round } from './stats.ts';

export type MultiplayerModel = 'offline' | 'adversarial';

/** Figures of one model with lazy context on or off. */
export interface MultiplayerFigures {
  /** Conversations played with this model (the adversary plays every `adversarialEvery`-th). */
  conversations: number;
  /** Of those, per kind. */
  benign: number;
  hostile: number;
  answers: number;
  /** Split answers' parts for the thread (SPEC §13); their deliveries count below like any other. */
  shared_parts: number;
  /** (answer, reader) pairs where the reader was shown the answer's content. */
  deliveries: number;
  /** Deliveries of content to a reader the oracle says may not see it. */
  leaks: number;
  /** Answers every member saw ÷ answers the oracle says every member could see. */
  utility: number;
  /** The oracle's denominator and numerator. */
  shareable: number;
  shared_with_thread: number;
}

/** The figures of a deployment's limits, as text: the tool timeout and each source's fair-use budgets. */
function limitFigures(
  toolTimeoutMs: number,
  sources: ReadonlyArray<{ source: { fairUse?: { costBudget: number; timeoutMs: number } } }>,
): string[] {
  return [
    String(toolTimeoutMs),
    ...sources.flatMap(({ source }) =>
      source.fairUse ? [String(source.fairUse.costBudget), String(source.fairUse.timeoutMs)] : [],
    ),
  ];
}

/** The result of `behalf bench multiplayer --json` (issue 10 item 5). */
export interface MultiplayerBenchResult {
  bench: 'multiplayer';
  workspace: string;
  conversations: number;
  benign: number;
  hostile: number;
  /** Conversations per template (`follow-up`, `memory-laundering`…), offline model. */
  templates: Record<string, number>;
  /** Whether memory cases ran (only when `remember` and `recall` are in the tool catalogue). */
  memory_cases: boolean;
  /** All leaks over every model and setting: must be 0. */
  leaks: number;
  /** Offline model, lazy context on (target ≥ 0.9), and the same with lazy context off. */
  utility: number;
  /** Undefined when only lazy context was played (`compareLazyOff: false`). */
  utility_lazy_off?: number;
  /** Per model, lazy context on and off side by side. */
  models: Partial<Record<MultiplayerModel, { lazy: MultiplayerFigures; lazy_off?: MultiplayerFigures }>>;
  /** The first leaks found (conversation, answer, reader, why), for diagnosis. */
  leak_examples: Array<{
    model: string;
    lazy: boolean;
    conversation: string;
    answer: string;
    reader: string;
    why: string;
  }>;
  runtime_s: number;
}

export interface MultiplayerBenchOptions {
  /** The workspace directory (default: the default workspace). */
  workspace?: string;
  conversations?: number;
  seed?: number;
  models?: readonly MultiplayerModel[];
  /**
   * The adversary plays every n-th conversation (default 5): each of its runs makes dozens of
   * hostile calls, about a second apiece on the embedded source, so all 200 would take an hour.
   */
  adversarialEvery?: number;
  /** Only these conversations (the regression set replays a subset); default all generated. */
  filter?: (script: ConversationScript, index: number, all: readonly ConversationScript[]) => boolean;
  /** The conversations (of those kept) the adversary plays; overrides `adversarialEvery`. */
  adversarialFilter?: (script: ConversationScript, index: number, all: readonly ConversationScript[]) => boolean;
  /** Also play every conversation with lazy context off, today's eager design (default true). */
  compareLazyOff?: boolean;
  onProgress?: (line: string) => void;
}

/**
 * Multiplayer leakage: seeded multi-person conversations over a workspace, each played with every
 * model and with lazy context on and off (one deployment per setting over one seeded data
 * directory, a fresh thread per conversation), judged by an oracle
 * that does not trust the engine (`multiplayer/leak-oracle.ts`, `multiplayer/sentinels.ts`).
 */
export async function runMultiplayerBench(options: MultiplayerBenchOptions = {}): Promise<MultiplayerBenchResult> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  const workspace = options.workspace ?? defaultWorkspaceDir();
  const models = options.models ?? ['offline', 'adversarial'];
  let scripts: ConversationScript[] | undefined;
  let facts: WorkspaceFacts | undefined;
  let sentinels: Awaited<ReturnType<typeof buildSentinels>> | undefined;
  let memory = false;
  const result: MultiplayerBenchResult = {
    bench: 'multiplayer',
    workspace,
    conversations: 0,
    benign: 0,
    hostile: 0,
    templates: {},
    memory_cases: false,
    leaks: 0,
    utility: 0,
    models: {},
    leak_examples: [],
    runtime_s: 0,
  };
  const figures = new Map<MultiplayerModel, Partial<Record<'lazy' | 'lazy_off', MultiplayerFigures>>>();
  // One data directory for the whole run: the workspace's source is seeded once and reopened for
  // lazy context off (a cold open costs 10-30 s, a reopen a few); every conversation gets a fresh
  // thread, and both models play in the same deployment (the recording model swaps per turn).
  const dataDir = await mkdtemp(join(tmpdir(), 'behalf-multiplayer-'));
  try {
    for (const lazy of options.compareLazyOff === false ? [true] : [true, false]) {
      const recorder = recordingModel(createOfflineModel());
      const deployment = await openDeployment({
        dataDir,
        workspace,
        env: { BEHALF_LAZY_CONTEXT: lazy ? 'on' : 'off' },
        model: recorder.model,
        serve: true,
      });
      try {
        const { app, store } = deployment;
        // Every approval a run asks for is refused: hostile writes never run.
        app.events.subscribe((event) => {
          if (event.type !== 'approval-requested') return;
          setTimeout(() => {
            app.agent.approvals
              .decide(event.approval.requesterId, event.approval.id, { approve: false, always: false })
              .catch(() => {});
          }, 0);
        });
        if (!facts || !scripts || !sentinels) {
          facts = await gatherWorkspaceFacts({
            config: deployment.workspace.config,
            sources: deployment.sqlSources,
            documents: await store.documents.list(),
            policy: app.policy,
          });
          const memoryTools = memoryToolsOf(app.registry.describe());
          memory = memoryTools !== undefined;
          scripts = (
            await generateConversations({
              facts,
              random: seededRandom(options.seed ?? 10_5),
              count: options.conversations ?? 200,
              ...(memoryTools ? { memory: memoryTools } : {}),
            })
          ).filter(options.filter ?? (() => true));
          // Public text: the scripted messages and the offline model's own help (its examples name
          // values such as "sev2" that are no evidence of a leak).
          sentinels = await buildSentinels(facts, [
            capabilitiesAnswer(
              app.registry.list().map((tool) => tool.name),
              undefined,
              describedTables(catalogOf(app.registry.describe())),
            ),
            // The deployment's own limits, which its error messages quote ("timed out after
            // 15000 ms", "a budget of 1000"): a figure there is configuration, not a row's value.
            ...limitFigures(app.gateway.toolTimeoutMs, deployment.sqlSources),
            ...scripts.flatMap((script) => script.steps.flatMap((step) => ('text' in step ? [step.text] : []))),
          ]);
          progress(
            `${scripts.length} conversations (${scripts.filter((script) => script.kind === 'hostile').length} hostile) ` +
              `over ${facts.tables.length} tables and ${facts.documents.length} documents` +
              (memory ? '' : '; no remember/recall tools, memory cases skipped') +
              ` (${seconds(started)} s)`,
          );
        }
        const documentIds = facts.documents.map((document) => document.id);
        const tables = facts.tables.map((table) => table.name);
        for (const modelName of models) {
          const modelFor = (requester: string, members: readonly string[]): LanguageModelV3 =>
            modelName === 'offline'
              ? createOfflineModel()
              : createAdversarialModel({
                  victims: { users: members.filter((member) => member !== requester), documentIds, tables },
                  hugeStringLength: 512,
                  callsPerStep: 32,
                  maxToolSteps: 2,
                  maxInjectedCalls: 8,
                  // Statement timeouts cost seconds per run and are no leakage case (I5's timeout
                  // outcomes are covered by the invariant suites).
                  skipCategories: ['denial-of-service'],
                });
          const every = modelName === 'adversarial' ? (options.adversarialEvery ?? 5) : 1;
          const played =
            modelName === 'adversarial' && options.adversarialFilter
              ? scripts.filter(options.adversarialFilter)
              : scripts.filter((_, index) => index % every === 0);
          const total: MultiplayerFigures = {
            conversations: played.length,
            benign: played.filter((script) => script.kind === 'benign').length,
            hostile: played.filter((script) => script.kind === 'hostile').length,
            answers: 0,
            shared_parts: 0,
            deliveries: 0,
            leaks: 0,
            utility: 0,
            shareable: 0,
            shared_with_thread: 0,
          };
          for (const [index, script] of played.entries()) {
            const conversation = await playConversation({ app, store, recorder, script, modelFor });
            const verdict = await judgeConversation({ played: conversation, facts, sentinels, lazy });
            total.answers += verdict.answers;
            total.shared_parts += verdict.sharedParts;
            total.deliveries += verdict.deliveries;
            total.leaks += verdict.leaks.length;
            total.shareable += verdict.shareable;
            total.shared_with_thread += verdict.sharedWithThread;
            // Every leak as it is found, so a run stopped early still shows what it found.
            for (const leak of verdict.leaks)
              progress(
                `LEAK (${modelName}, lazy ${lazy ? 'on' : 'off'}): ${leak.conversation} ${leak.answer} → ${leak.reader}: ${leak.why}`,
              );
            for (const leak of verdict.leaks.slice(0, Math.max(0, 10 - result.leak_examples.length)))
              result.leak_examples.push({ model: modelName, lazy, ...leak });
            if ((index + 1) % 10 === 0 || index + 1 === played.length)
              progress(
                `${modelName}, lazy context ${lazy ? 'on' : 'off'}: ${index + 1}/${played.length} conversations, ` +
                  `${total.leaks} leaks, utility ${total.shared_with_thread}/${total.shareable} (${seconds(started)} s)`,
              );
          }
          total.utility = total.shareable === 0 ? 1 : round(total.shared_with_thread / total.shareable);
          figures.set(modelName, { ...figures.get(modelName), [lazy ? 'lazy' : 'lazy_off']: total });
          result.leaks += total.leaks;
        }
      } finally {
        await deployment.close();
      }
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  for (const modelName of models)
    result.models[modelName] = figures.get(modelName) as { lazy: MultiplayerFigures; lazy_off?: MultiplayerFigures };
  const all = scripts ?? [];
  result.conversations = all.length;
  result.benign = all.filter((script) => script.kind === 'benign').length;
  result.hostile = all.length - result.benign;
  for (const script of all) result.templates[script.template] = (result.templates[script.template] ?? 0) + 1;
  result.memory_cases = memory;
  const headline = result.models.offline ?? Object.values(result.models)[0];
  result.utility = headline?.lazy.utility ?? 0;
  if (headline?.lazy_off) result.utility_lazy_off = headline.lazy_off.utility;
  result.runtime_s = seconds(started);
  return result;
}

function seconds(since: number): number {
  return round((performance.now() - since) / 1000, 1);
}

/** The tools as the model's catalogue describes them. */
function catalogOf(descriptors: readonly ToolDescriptor[]): ToolCatalogEntry[] {
  return descriptors.map((descriptor) => ({
    name: descriptor.name,
    description: descriptor.description,
    inputSchema: z.toJSONSchema(descriptor.inputSchema) as JsonSchema,
  }));
}

/** `remember` and `recall` argument builders when both tools are in the catalogue, else undefined. */
function memoryToolsOf(descriptors: readonly ToolDescriptor[]): MemoryTools | undefined {
  const catalog = catalogOf(descriptors);
  const remember = catalog.find((tool) => tool.name === 'remember');
  const recall = catalog.find((tool) => tool.name === 'recall');
  if (!remember || !recall) return undefined;
  const fill = (entry: ToolCatalogEntry, text: string) =>
    Object.fromEntries(
      Object.entries(baselineInput(entry)).map(([key, value]) => [key, typeof value === 'string' ? text : value]),
    );
  return { remember: (fact) => fill(remember, fact), recall: (query) => fill(recall, query) };
}
