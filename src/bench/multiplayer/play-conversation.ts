import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { Run } from '../../agent/types.ts';
import { TERMINAL_RUN_STATUSES } from '../../agent/types.ts';
import type { Engine } from '../../app/build-engine.ts';
import type { Store } from '../../storage/types.ts';
import type { Message } from '../../threads/types.ts';
import type { HiddenMessage } from '../../threads/visibility.ts';
import { type ConversationScript, resolveText } from './conversation-script.ts';
import type { EmittedToolCall, RecordingModel } from './recording-model.ts';

/** One agent answer of a played conversation, with everything the oracle needs about its run. */
export interface PlayedAnswer {
  /** The script step that asked (or, for a `say` that addressed the agent, posted). */
  step: number;
  requester: string;
  run: Run;
  message: Message;
  /** Tool calls exactly as the model emitted them. */
  emitted: EmittedToolCall[];
  /** Earlier agent answers the requester could see when asking, and whether each was public. */
  visibleBefore: Array<{ id: string; publicOnly: boolean }>;
  /** Thread members when the answer was made (the audience the oracle's utility counts). */
  membersAtAnswer: string[];
  /**
   * A split answer's part for the thread (SPEC §13): its message and the tool calls whose results
   * its model step was given (read from that step's prompt).
   */
  sharedPart?: { message: Message; inputCallIds: string[] };
}

/** A played conversation: its answers and, per member at the end, what each was shown. */
export interface PlayedConversation {
  script: ConversationScript;
  threadId: string;
  answers: PlayedAnswer[];
  /** Per answer id, per member: the content delivered (hub fan-out and read path), or null when hidden. */
  deliveries: Map<string, Map<string, string | null>>;
  /** Shares that policy refused (a share step is then a no-op). */
  refusedShares: number;
}

/**
 * Plays one script against an engine, one step at a time so the tool calls the recording model
 * sees between two steps are exactly that step's run's. Approvals are refused (a hostile write
 * never runs); the model for each request comes from `modelFor` (the adversary per requester).
 */
export async function playConversation(input: {
  app: Engine;
  store: Store;
  recorder: RecordingModel;
  script: ConversationScript;
  modelFor: (requester: string, members: readonly string[]) => LanguageModelV3;
}): Promise<PlayedConversation> {
  const { app, store, recorder, script } = input;
  const [owner, ...others] = script.members;
  if (!owner) throw new Error(`conversation ${script.id} has no members`);
  const thread = await app.threads.create(owner, { title: script.id, members: others });
  const answers: PlayedAnswer[] = [];
  const answerIds = new Map<number, string>();
  let refusedShares = 0;

  const runStep = async (index: number, author: string, text: string) => {
    const members = [...(await store.threads.members(thread.id))];
    const visibleBefore: PlayedAnswer['visibleBefore'] = [];
    for (const earlier of answers) {
      const current = (await store.messages.get(earlier.message.id)) ?? earlier.message;
      if ((await app.visibility.check(author, current)).visible)
        visibleBefore.push({ id: current.id, publicOnly: current.labels.every((label) => label === 'public') });
    }
    recorder.use(input.modelFor(author, members));
    recorder.take();
    const { run } = await app.postMessage(author, thread.id, text);
    if (!run) return;
    const finished = await settled(store, run.id);
    const message = finished.answerMessageId ? await store.messages.get(finished.answerMessageId) : undefined;
    const toolLess = recorder.toolLessInputs();
    const emitted = recorder.take();
    if (!message) return;
    const shared = finished.sharedMessageId ? await store.messages.get(finished.sharedMessageId) : undefined;
    answerIds.set(index, message.id);
    answers.push({
      step: index,
      requester: author,
      run: finished,
      message,
      emitted,
      visibleBefore,
      membersAtAnswer: members,
      // The shared step is the run's one model call without tools; a call the oracle cannot
      // find charges the part with every input of the run (fails closed).
      ...(shared
        ? {
            sharedPart: {
              message: shared,
              inputCallIds: toolLess.length === 1 ? (toolLess[0] ?? []) : emitted.map((call) => call.toolCallId),
            },
          }
        : {}),
    });
  };

  for (const [index, step] of script.steps.entries()) {
    if (step.kind === 'ask' || step.kind === 'say')
      await runStep(index, step.author, resolveText(step.text, answerIds));
    else if (step.kind === 'share') {
      const id = answerIds.get(step.step);
      if (!id) continue;
      await app.sharing.share(step.author, id).catch(() => {
        refusedShares += 1;
      });
    } else await app.threads.addMember(step.by, thread.id, step.member);
  }

  const members = [...(await store.threads.members(thread.id))];
  const deliveries = new Map<string, Map<string, string | null>>();
  const readPath = new Map<string, Array<Message | HiddenMessage>>();
  for (const member of members)
    readPath.set(member, await app.threads.listMessages(member, thread.id, { limit: 1000 }));
  for (const answer of answers) {
    const message = (await store.messages.get(answer.message.id)) ?? answer.message;
    answer.message = message;
    deliveries.set(message.id, await deliveredTo(members, message));
    if (answer.sharedPart) {
      const part = (await store.messages.get(answer.sharedPart.message.id)) ?? answer.sharedPart.message;
      answer.sharedPart.message = part;
      deliveries.set(part.id, await deliveredTo(members, part));
    }
  }
  return { script, threadId: thread.id, answers, deliveries, refusedShares };

  async function deliveredTo(members: readonly string[], message: Message): Promise<Map<string, string | null>> {
    const views = await app.delivery.views(members, message);
    const perReader = new Map<string, string | null>();
    for (const [position, member] of members.entries()) {
      const fanOut = views[position];
      const read = readPath.get(member)?.find((item) => item.id === message.id);
      // Either path showing content counts as a delivery.
      const shown = [fanOut, read].filter((view): view is Message => !!view && !('hidden' in view && view.hidden));
      perReader.set(member, shown.length > 0 ? shown.map((view) => view.text).join('\n') : null);
    }
    return perReader;
  }
}

/** Waits for a run to end (approvals are answered by the benchmark's listener meanwhile). */
async function settled(store: Store, runId: string): Promise<Run> {
  for (let waited = 0; waited < 120_000; waited += 2) {
    const run = await store.runs.get(runId);
    if (run && TERMINAL_RUN_STATUSES.includes(run.status)) return run;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`run ${runId} did not end within 2 minutes`);
}
