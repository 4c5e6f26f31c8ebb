import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { LanguageModel } from 'ai';
import type { AuditLog } from '../audit/audit-log.ts';
import { TOOL_CALL_ACTION } from '../audit/types.ts';
import type { EventBus } from '../events/types.ts';
import type { User, UserId, UserStore } from '../identity/types.ts';
import type { AnswerAudienceWire } from '../protocol/answer-wire.ts';
import { AppError, isAppError } from '../protocol/errors.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { ThreadService } from '../threads/thread-service.ts';
import type { LabelOrigin, Message, MessageStore, ThreadStore } from '../threads/types.ts';
import type { VisibilityChecker } from '../threads/visibility.ts';
import type { ToolApprovals } from '../tools/tool-approvals.ts';
import type { GatewayRun, ToolGateway } from '../tools/tool-gateway.ts';
import type { ToolCallStore, ToolCatalog } from '../tools/types.ts';
import type { AnswerInput } from './answer-inputs.ts';
import { clearInputsForAudience } from './audience-clearance.ts';
import { assembleContext } from './context-assembly.ts';
import { decideDisclosure } from './disclosure-guard.ts';
import { describeOriginsOf, labelOrigins, utcMinutes } from './label-origins.ts';
import { LeasedRunQueue } from './leased-run-queue.ts';
import { type RunView, viewRun } from './run-view.ts';
import { composeSharedPart, echoesWithheld } from './shared-part.ts';
import { runTurn } from './turn-loop.ts';
import {
  type ApprovalStore,
  type Run,
  type RunStatus,
  type RunStep,
  type RunStore,
  TERMINAL_RUN_STATUSES,
} from './types.ts';

/** Tuning of runs: steps, time limits, concurrency and the durable queue's leases. */
export interface RunLimits {
  maxSteps?: number;
  runTimeoutMs?: number;
  concurrency?: number;
  /** This process's worker id for run leases (default: host, pid and a random suffix). */
  workerId?: string;
  leaseMs?: number;
  pollMs?: number;
  /** Earlier labelled items enter as references (default true); `false` is the eager design (`BEHALF_LAZY_CONTEXT=off`). */
  lazyContext?: boolean;
}

export interface AgentRuntimeDeps {
  runs: RunStore;
  toolCalls: ToolCallStore;
  messages: MessageStore;
  threads: ThreadStore;
  users: UserStore;
  approvals: ApprovalStore;
  threadService: ThreadService;
  gateway: ToolGateway;
  /** Where calls wait for their requester's approval (the gateway asks; the edges answer). */
  toolApprovals: ToolApprovals;
  /** The tools offered to the model: descriptions only; the gateway executes. */
  tools: ToolCatalog;
  visibility: VisibilityChecker;
  audit: AuditLog;
  events: EventBus;
  clock: Clock;
  ids: IdGenerator;
  model: LanguageModel;
  /** The acting agent: its id in grants and audit records, and the name people see. */
  agent: { id: string; name: string };
  limits?: RunLimits;
}

const ACTIVE: readonly RunStatus[] = ['queued', 'running', 'awaiting_approval'];

/**
 * Agent runs (SPEC §3): created when a member addresses the agent, bound at creation to that
 * message's author (I1), executed by the turn loop with every tool call through the gateway,
 * answered through the disclosure guard, cancelled when their requester leaves the thread (I8).
 */
export class AgentRuntime {
  /** The approvals of this engine's tool calls (deciding, listing pending ones). */
  readonly approvals: ToolApprovals;
  private readonly queue: LeasedRunQueue;
  private readonly controllers = new Map<string, AbortController>();
  /** The trace of each run executing here, which approval steps join as they happen. */
  private readonly traces = new Map<string, RunStep[]>();

  constructor(private readonly deps: AgentRuntimeDeps) {
    this.approvals = deps.toolApprovals;
    this.queue = new LeasedRunQueue({
      runs: deps.runs,
      clock: deps.clock,
      owner: deps.limits?.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      execute: (run) => this.execute(run),
      onExpired: (run) => this.failExpired(run, 'the process running it stopped'),
      ...(deps.limits?.concurrency ? { concurrency: deps.limits?.concurrency } : {}),
      ...(deps.limits?.leaseMs ? { leaseMs: deps.limits?.leaseMs } : {}),
      ...(deps.limits?.pollMs ? { pollMs: deps.limits?.pollMs } : {}),
    });
    deps.threadService.onMemberRemoved((threadId, userId) => this.cancelRunsOf(threadId, userId));
    // A run cancelled or ended by another process stops here too (events cross processes).
    deps.events.subscribe((event) => {
      if (event.type === 'run-updated' && TERMINAL_RUN_STATUSES.includes(event.status)) {
        this.controllers.get(event.runId)?.abort(new AppError('conflict', `the run was ${event.status}`));
      }
    });
  }

  /** Moves a run to `awaiting_approval` (or back to `running`) with the approval's trace step. */
  private async setAwaiting(runId: string, awaiting: boolean, step: RunStep): Promise<void> {
    const run = await this.deps.runs.get(runId);
    if (!run) return;
    // Into the live trace too, or the turn's next save of its trace would drop the step.
    const live = this.traces.get(runId);
    live?.push(step);
    await this.transition(
      run,
      awaiting ? 'awaiting_approval' : 'running',
      { steps: live ? [...live] : [...run.steps, step] },
      [awaiting ? 'running' : 'awaiting_approval'],
    );
  }

  /**
   * Starts a run for a human message that addressed the agent. The requester is the message's
   * author, fixed here for the life of the run (I1).
   */
  async startRun(message: Message, audience: AnswerAudienceWire = 'me'): Promise<Run> {
    if (message.kind !== 'human' || !message.authorId)
      throw new AppError('bad_request', 'Only a person can invoke the agent');
    const requester = message.authorId;
    const { thread, policies } = await this.deps.threadService.authorizeThread(
      requester,
      message.threadId,
      'invokeAgent',
    );
    const runId = this.deps.ids.next('run');
    // Audited before the run exists: when the audit store cannot write, no run is left queued.
    await this.deps.audit.append({
      requester,
      agent: this.deps.agent.id,
      mode: thread.mode,
      threadId: thread.id,
      runId,
      action: 'agent.invoke',
      resource: `thread:${thread.id}`,
      decision: 'allow',
      policies,
    });
    const run = await this.deps.runs.create({
      id: runId,
      threadId: thread.id,
      requesterId: requester,
      triggerMessageId: message.id,
      mode: thread.mode,
      status: 'queued',
      createdAt: this.deps.clock.now(),
      audience,
    });
    this.publishRun(run);
    this.queue.enqueue(run.id);
    return run;
  }

  /** The run as `reader` may see it; non-members of its thread get `not_found`. */
  async getRun(reader: UserId, runId: string): Promise<RunView> {
    const run = await this.deps.runs.get(runId);
    if (!run) throw new AppError('not_found', 'Run not found');
    await this.deps.threadService.authorizeThread(reader, run.threadId, 'readThread').catch(() => {
      throw new AppError('not_found', 'Run not found');
    });
    return viewRun(run, reader);
  }

  /** Cancels every active run of `userId` in `threadId` (removal from the thread, I8). */
  async cancelRunsOf(threadId: string, userId: UserId): Promise<void> {
    const runs = await this.deps.runs.listByStatus(ACTIVE, { threadId, requesterId: userId });
    for (const run of runs) await this.cancel(run, 'the requester is no longer a member of the thread');
  }

  /** Waits for every queued and running run to finish (tests, shutdown). */
  drain(): Promise<void> {
    return this.queue.drain();
  }

  /** Starts the durable queue's polling, lease renewal and reaping (a serving process). */
  start(): void {
    this.queue.start();
  }

  /** Stops claiming runs; runs executing here finish (`drain`). */
  stop(): void {
    this.queue.close();
  }

  /**
   * For a store only this process uses (embedded SQLite): runs a previous process left active
   * can't resume (their turn state was in memory), so they end `failed` now instead of at lease
   * expiry, with their cut-off tool calls closed. Queued runs are simply claimed. With a shared
   * store, other processes' runs are left to lease expiry (the queue's reaper).
   */
  async recoverInterrupted(): Promise<number> {
    const runs = await this.deps.runs.listByStatus(['running', 'awaiting_approval']);
    for (const run of runs) await this.failExpired(run, 'interrupted by a restart');
    await this.closeInterruptedToolCalls();
    this.queue.enqueue('');
    return runs.length;
  }

  /**
   * An active run whose worker is gone: it ends `failed`, and each of its tool calls that was
   * cut off mid-execution gets its one terminal `unknown` record.
   */
  private async failExpired(run: Run, reason: string): Promise<void> {
    // Calls first, then the run: a reaper that dies in between leaves the run for the next one.
    // Two reapers (two processes, or two ticks of one) may both try; the store keeps exactly one
    // terminal record per call.
    await this.closeInterruptedToolCalls(run.id);
    const failed = await this.transition(run, 'failed', { error: reason }, ACTIVE);
    if (failed) await this.tellRequesterItFailed(failed, reason);
  }

  /**
   * A tool call whose intent was recorded but that has no terminal audit record was cut off by a
   * crash: whether it took effect is unknown. It gets exactly one terminal record saying so
   * (which also completes the intent), and is never executed again.
   */
  private async closeInterruptedToolCalls(runId?: string): Promise<void> {
    for (const intent of await this.deps.toolCalls.listIncomplete(runId ? { runId } : {})) {
      const run = await this.deps.runs.get(intent.runId);
      await this.deps.audit
        .append({
          requester: run?.requesterId ?? null,
          agent: this.deps.agent.id,
          mode: run?.mode ?? 'user',
          threadId: run?.threadId ?? null,
          runId: intent.runId,
          action: TOOL_CALL_ACTION,
          resource: `tool:${intent.tool}`,
          decision: 'unknown',
          policies: [],
          argsHash: intent.argsHash,
          callId: intent.callId,
          reason: 'the process stopped while this call was executing; its outcome is unknown',
        })
        .catch((error: unknown) => {
          // Another reaper (or the call itself, finishing late) wrote its terminal record first.
          if (!(isAppError(error) && error.code === 'conflict')) throw error;
        });
    }
  }

  private async cancel(run: Run, reason: string): Promise<void> {
    const cancelled = await this.transition(run, 'cancelled', { error: reason }, ACTIVE);
    this.controllers.get(run.id)?.abort(new AppError('conflict', reason));
    if (cancelled) await this.auditRun(run, 'run.cancel', `run:${run.id}`, 'allow', [], reason);
  }

  /** Executes a run the queue claimed (already `running` under this worker's lease). */
  private async execute(running: Run): Promise<void> {
    const runId = running.id;
    this.publishRun(running);
    const controller = new AbortController();
    this.controllers.set(runId, controller);
    const timer = setTimeout(
      () => controller.abort(new AppError('conflict', 'the run exceeded its time budget')),
      this.deps.limits?.runTimeoutMs ?? 120_000,
    );
    try {
      await this.turn(running, controller);
    } catch (error) {
      const current = await this.deps.runs.get(runId);
      if (current && !TERMINAL_RUN_STATUSES.includes(current.status)) {
        await this.fail(current, messageOf(controller.signal.aborted ? controller.signal.reason : error));
      }
    } finally {
      clearTimeout(timer);
      this.controllers.delete(runId);
      this.traces.delete(runId);
    }
  }

  private async turn(run: Run, controller: AbortController): Promise<void> {
    const [requester, trigger, people] = await Promise.all([
      this.deps.users.get(run.requesterId),
      this.deps.messages.get(run.triggerMessageId),
      this.people(run.threadId),
    ]);
    if (!requester || !trigger) throw new AppError('not_found', 'The requester or the request no longer exists');
    const context = await assembleContext({
      requester,
      agentName: this.deps.agent.name,
      mode: run.mode,
      trigger,
      messages: this.deps.messages,
      visibility: this.deps.visibility,
      names: new Map([...people].map(([id, user]) => [id, user.name])),
      lazy: this.deps.limits?.lazyContext ?? true,
    });
    await this.auditRun(
      run,
      'context.assemble',
      `thread:${run.threadId}`,
      'allow',
      [],
      `${context.included} messages included, ${context.referenced} referenced by labels only, ${context.withheld} withheld`,
      context.labels,
    );

    const labels = new Set(context.labels);
    // What each call returned, for the split of the answer (never stored; see `answer-inputs.ts`).
    const inputs: AnswerInput[] = [];
    const steps: RunStep[] = [...run.steps];
    this.traces.set(run.id, steps);
    let fatal: unknown;
    const gatewayRun: GatewayRun = { id: run.id, threadId: run.threadId, requesterId: run.requesterId, mode: run.mode };
    const persist = () => this.deps.runs.update(run.id, { steps: [...steps], labels: [...labels] });
    // The context's labels are the run's from its first step: a tool that reads them (`remember`) sees them all.
    await persist();
    // Ids are claimed here, synchronously and in the order the model issued its calls, so that
    // when a model reuses an id the first call keeps it, whichever finishes first (the store
    // still refuses a second use of an id across turns and processes).
    const usedCallIds = new Set<string>();
    const claimCallId = (toolCallId: string): string | undefined => {
      const callId = `${run.id}:${toolCallId}`;
      if (usedCallIds.has(callId)) return undefined;
      usedCallIds.add(callId);
      return callId;
    };

    const turn = await runTurn({
      model: this.deps.model,
      context,
      tools: this.deps.tools.describe(),
      maxSteps: this.deps.limits?.maxSteps ?? 6,
      signal: controller.signal,
      callTool: async (name, args, toolCallId, signal) => {
        const callId = claimCallId(toolCallId);
        // Ended elsewhere meanwhile (cancelled on another process, reaped after a stall)?
        const current = await this.deps.runs.get(run.id);
        if (!current || !ACTIVE.includes(current.status) || current.status === 'queued') {
          controller.abort(new AppError('conflict', `the run was ${current?.status ?? 'removed'}`));
          throw new AppError('conflict', 'the run is no longer active');
        }
        try {
          const result = callId
            ? await this.deps.gateway.call(gatewayRun, name, args, callId, signal, {
                onAwaitingApproval: (awaiting, step) => this.setAwaiting(run.id, awaiting, step),
              })
            : await this.deps.gateway.refuseReusedId(gatewayRun, name, args, `${run.id}:${toolCallId}`);
          steps.push(result.step);
          for (const label of result.labels) labels.add(label);
          inputs.push({
            callId: result.step.callId,
            toolCallId,
            tool: name,
            args,
            envelope: result.envelope,
            labels: result.labels,
            at: result.step.at,
          });
          await persist();
          return result.envelope;
        } catch (error) {
          // The gateway only throws when it cannot audit: nothing may proceed (I6).
          fatal = error;
          controller.abort(error);
          throw error;
        }
      },
      rejectUnparsed: async (name, toolCallId, rawInput, reason) => {
        const callId = claimCallId(toolCallId);
        const result = callId
          ? await this.deps.gateway.rejectUnparsed(gatewayRun, name, callId, rawInput, reason)
          : await this.deps.gateway.refuseReusedId(gatewayRun, name, rawInput, `${run.id}:${toolCallId}`);
        // Refused calls belong in the trace too (the requester sees every call, allowed or not).
        steps.push(result.step);
        await persist();
      },
      onDelta: (delta) =>
        this.deps.events.publish({
          type: 'answer-delta',
          threadId: run.threadId,
          runId: run.id,
          requesterId: run.requesterId,
          delta,
        }),
      onModelStep: (index, finishReason) => {
        steps.push({ kind: 'model-step', at: this.deps.clock.now(), index, finishReason });
      },
    });
    if (fatal) throw fatal;
    await this.answer(
      run,
      {
        text: turn.text || 'I have no answer to that.',
        labels: [...labels],
        steps,
        inputs,
        origins: labelOrigins({
          labels: [...labels],
          steps,
          context: context.sources ?? [],
          startedAt: run.createdAt,
        }),
        trigger,
        requesterName: requester.name,
      },
      people,
      controller.signal,
    );
  }

  /**
   * Delivers a run's answer through the disclosure guard (I5). When some member is not cleared for
   * it, the requester gets the private part (`answerMessageId`: the complete answer, or with
   * `audience: 'room'` what was left out of the room's answer) and the thread may get a shared
   * part built by `sharedPart` from inputs every member is cleared for. One disclosure record per
   * delivered message: `disclosure.decide` for the requester's part (the run's answer, as before
   * the split existed), `disclosure.shared-part` for the thread's part.
   */
  private async answer(
    run: Run,
    answer: {
      text: string;
      labels: string[];
      steps: RunStep[];
      inputs: AnswerInput[];
      origins: LabelOrigin[];
      trigger: Message;
      requesterName: string;
    },
    people: Map<UserId, User>,
    signal: AbortSignal,
  ): Promise<void> {
    const { labels, steps, origins } = answer;
    const members = await this.deps.threads.members(run.threadId);
    const disclosure = await decideDisclosure({
      requesterId: run.requesterId,
      labels,
      members,
      visibility: this.deps.visibility,
      people,
    });
    const whole = disclosure.audience.kind === 'thread';
    const part = whole ? undefined : await this.sharedPart(run, answer, members, people, signal);
    const room = run.audience === 'room' && !whole;
    const messageId = this.deps.ids.next('msg');
    const reason = disclosure.reason
      ? withOrigins(
          disclosure.reason,
          origins,
          disclosure.uncleared.flatMap((entry) => entry.labels),
        )
      : null;
    const text = room ? leftOutNotice(part, answer.inputs) : answer.text;
    const current = await this.deps.runs.get(run.id);
    if (current?.status !== 'running') return;
    await this.auditRun(
      run,
      'disclosure.decide',
      `message:${messageId}`,
      whole ? 'allow' : 'deny',
      disclosure.policies,
      whole
        ? 'delivered to the thread'
        : `private to the requester${room ? ' (what was left out of the room answer)' : ''}: ${disclosure.reason}`,
      labels,
    );
    const message = await this.deps.messages.append({
      id: messageId,
      threadId: run.threadId,
      kind: 'agent',
      authorId: null,
      text,
      audience: disclosure.audience,
      labels,
      runId: run.id,
      requesterId: run.requesterId,
      privateReason: room ? `it says what was left out of the room's answer: ${reason}` : reason,
      sharedBy: null,
      sharedWith: [],
      createdAt: this.deps.clock.now(),
      labelOrigins: origins,
      ...(part || room ? { answerPart: 'private' as const } : {}),
    });
    const sharedMessage = part ? await this.deliverSharedPart(run, part) : undefined;
    const finished = await this.transition(
      run,
      'done',
      {
        answerMessageId: message.id,
        ...(sharedMessage ? { sharedMessageId: sharedMessage.id } : {}),
        labels,
        steps: [
          ...steps,
          {
            kind: 'disclosure',
            at: this.deps.clock.now(),
            audience: whole ? 'thread' : 'requester',
            labels,
            policies: disclosure.policies,
            ...(reason ? { reason } : {}),
            ...(part || room ? { part: 'private' as const } : {}),
            origins,
          },
          ...(part
            ? [
                {
                  kind: 'disclosure' as const,
                  at: this.deps.clock.now(),
                  audience: 'thread' as const,
                  labels: part.labels,
                  policies: part.policies,
                  reason: part.reason,
                  part: 'shared' as const,
                  origins: part.origins,
                },
              ]
            : []),
        ],
      },
      ['running'],
    );
    // Publish only if the run was not cancelled meanwhile: a removed member's answer is not delivered.
    if (finished) {
      this.deps.events.publish({ type: 'message-created', threadId: run.threadId, message });
      if (sharedMessage)
        this.deps.events.publish({ type: 'message-created', threadId: run.threadId, message: sharedMessage });
    }
  }

  /**
   * The thread's part of an answer not every member may read (issue 10 point 3), or undefined
   * when there is none. Only inputs that returned data every current member is cleared for enter
   * the shared step (a separate model call without tools, `composeSharedPart`); its text is then
   * decided by the disclosure guard for the members of that moment with the union of those
   * inputs' labels, and dropped when it repeats a withheld value (`echoesWithheld`). Any failure
   * on the way means no shared part: the requester still has the private one (fail closed).
   */
  private async sharedPart(
    run: Run,
    answer: { inputs: AnswerInput[]; origins: LabelOrigin[]; trigger: Message; requesterName: string },
    members: readonly UserId[],
    people: Map<UserId, User>,
    signal: AbortSignal,
  ): Promise<SharedPart | undefined> {
    try {
      const { cleared, withheld } = await clearInputsForAudience({
        inputs: answer.inputs,
        members,
        visibility: this.deps.visibility,
      });
      if (cleared.length === 0) return undefined;
      const text = await composeSharedPart({
        model: this.deps.model,
        agentName: this.deps.agent.name,
        requester: { name: answer.requesterName },
        request: answer.trigger.text,
        cleared,
        signal,
      });
      if (!text || echoesWithheld(text, withheld, cleared, answer.trigger.text)) return undefined;
      const labels = [...new Set([...answer.trigger.labels, ...cleared.flatMap((input) => input.labels)])].sort();
      // Decided again, for the members of this moment: the shared step took time (I3).
      const decision = await decideDisclosure({
        requesterId: run.requesterId,
        labels,
        members: await this.deps.threads.members(run.threadId),
        visibility: this.deps.visibility,
        people,
      });
      if (decision.audience.kind !== 'thread') return undefined;
      const calls = new Set(cleared.map((input) => input.callId));
      const origins = answer.origins.filter(
        (origin) => (origin.callId !== undefined && calls.has(origin.callId)) || origin.detail === answer.trigger.id,
      );
      const phrase = cleared.map((input) => `${input.tool} at ${utcMinutes(input.at)}`).join(', ');
      return {
        text,
        labels,
        policies: decision.policies,
        reason: `built only from inputs every member is cleared for (${phrase})`,
        callIds: [...calls],
        origins: [
          ...origins,
          ...answer.trigger.labels
            .filter((label) => !origins.some((origin) => origin.label === label))
            .map((label) => ({
              label,
              kind: 'message' as const,
              detail: answer.trigger.id,
              at: answer.trigger.createdAt,
            })),
        ],
      };
    } catch (error) {
      // A cancelled run ends here as it would anywhere else; any other failure only loses the shared part.
      if (signal.aborted) throw error;
      return undefined;
    }
  }

  /** Appends the thread's part of a split answer, after its own disclosure record. */
  private async deliverSharedPart(run: Run, part: SharedPart): Promise<Message> {
    const id = this.deps.ids.next('msg');
    await this.auditRun(
      run,
      'disclosure.shared-part',
      `message:${id}`,
      'allow',
      part.policies,
      `shared part delivered to the thread: ${part.reason}`,
      part.labels,
    );
    return this.deps.messages.append({
      id,
      threadId: run.threadId,
      kind: 'agent',
      authorId: null,
      text: part.text,
      audience: { kind: 'thread' },
      labels: part.labels,
      runId: run.id,
      requesterId: run.requesterId,
      privateReason: null,
      sharedBy: null,
      sharedWith: [],
      createdAt: this.deps.clock.now(),
      labelOrigins: part.origins,
      answerPart: 'shared',
    });
  }

  private async fail(run: Run, reason: string): Promise<void> {
    const failed = await this.transition(run, 'failed', { error: reason }, ACTIVE);
    if (failed) await this.tellRequesterItFailed(failed, reason);
  }

  /** The private message telling a failed run's requester why it ended. */
  private async tellRequesterItFailed(run: Run, reason: string): Promise<void> {
    const message = await this.deps.messages.append({
      id: this.deps.ids.next('msg'),
      threadId: run.threadId,
      kind: 'agent',
      authorId: null,
      text: `I could not finish this request: ${reason}.`,
      audience: { kind: 'users', users: [run.requesterId] },
      labels: ['public'],
      runId: run.id,
      requesterId: run.requesterId,
      privateReason: 'it reports an error in your own request',
      sharedBy: null,
      sharedWith: [],
      createdAt: this.deps.clock.now(),
    });
    await this.deps.runs.update(run.id, { answerMessageId: message.id });
    this.deps.events.publish({ type: 'message-created', threadId: run.threadId, message });
  }

  /** Compare-and-set status change, published as `run-updated`. Returns the run if it applied. */
  private async transition(
    run: Run,
    status: RunStatus,
    patch: Parameters<RunStore['update']>[1],
    from: readonly RunStatus[],
  ): Promise<Run | undefined> {
    const updated = await this.deps.runs.update(run.id, { ...patch, status }, from);
    if (updated && TERMINAL_RUN_STATUSES.includes(status)) {
      // A run that ended takes its open approval requests with it: nothing can be approved any more.
      for (const approval of await this.deps.approvals.listPending({ runId: run.id })) {
        await this.deps.approvals.decide(approval.id, { approve: false, always: false, at: this.deps.clock.now() });
      }
    }
    if (updated) this.publishRun(updated);
    return updated;
  }

  private publishRun(run: Run): void {
    this.deps.events.publish({
      type: 'run-updated',
      threadId: run.threadId,
      runId: run.id,
      requesterId: run.requesterId,
      status: run.status,
      answerMessageId: run.answerMessageId,
    });
  }

  /** The thread's members, by id (names for context and disclosure reasons). */
  private async people(threadId: string): Promise<Map<UserId, User>> {
    const members = await this.deps.threads.members(threadId);
    const users = await Promise.all(members.map((id) => this.deps.users.get(id)));
    return new Map(users.filter((user): user is User => user !== undefined).map((user) => [user.id, user]));
  }

  private async auditRun(
    run: Run,
    action: string,
    resource: string,
    decision: 'allow' | 'deny',
    policies: string[],
    reason: string,
    labels?: string[],
  ): Promise<void> {
    await this.deps.audit.append({
      requester: run.requesterId,
      agent: this.deps.agent.id,
      mode: run.mode,
      threadId: run.threadId,
      runId: run.id,
      action,
      resource,
      decision,
      policies,
      reason,
      ...(labels ? { labels } : {}),
    });
  }
}

/** The thread's part of a split answer, decided and ready to deliver. */
interface SharedPart {
  text: string;
  labels: string[];
  policies: string[];
  reason: string;
  origins: LabelOrigin[];
  /** The calls whose results it was built from. */
  callIds: string[];
}

/** A private notice's reason with the origins of the labels it names: "… (from the `compensation` rows of the sql call at 10:02)". */
function withOrigins(reason: string, origins: readonly LabelOrigin[], labels: readonly string[]): string {
  const described = describeOriginsOf(origins, labels);
  return described ? `${reason} (from ${described})` : reason;
}

/**
 * What the requester of a room answer gets privately (issue 10 point 3): what was left out of the
 * thread's part and where it came from, never its content.
 */
function leftOutNotice(part: SharedPart | undefined, inputs: readonly AnswerInput[]): string {
  const shared = new Set(part?.callIds ?? []);
  // Calls refused before they read anything carry no labels: nothing of them was left out.
  const left = inputs.filter((input) => !shared.has(input.callId) && input.labels.length > 0);
  const lines = left.map(
    (input) => `- the ${input.tool} call at ${utcMinutes(input.at)} (${[...input.labels].sort().join(', ')})`,
  );
  const head = part
    ? 'I answered for the room with only what every member may see. Left out of that answer:'
    : 'I could not answer for the room: everything the answer needed is data some member is not cleared for. Left out:';
  return [
    head,
    ...(lines.length > 0 ? lines : ['- data from the conversation']),
    '',
    'Ask with "answer for me" to get the complete answer privately.',
  ].join('\n');
}

function messageOf(error: unknown): string {
  if (isAppError(error) || error instanceof Error) return error.message;
  return String(error);
}
