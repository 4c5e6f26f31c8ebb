import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelMessage } from 'ai';
import { decideDisclosure } from '../agent/disclosure-guard.ts';
import { createOfflineModel } from '../agent/model/offline-model.ts';
import { runTurn } from '../agent/turn-loop.ts';
import { createSqliteStore } from '../app/bench-stores.ts';
import { buildEngine } from '../app/build-engine.ts';
import type { App } from '../app/create-app.ts';
import type { AuthorizationRequest } from '../policy/types.ts';
import type { ToolDefinition, ToolResultEnvelope } from '../tools/types.ts';
import { workTool } from './bench-tools.ts';
import { type BenchWorkspace, loadBenchWorkspace } from './bench-workspace.ts';
import { percentile, round, runPool } from './stats.ts';

/** The one-line result of `behalf bench authz --json`. */
export interface AuthzBenchResult {
  bench: 'authz';
  /** User-authorized turn throughput ÷ no-authorization baseline, 1 ms tool. */
  ratio_1ms: number;
  /** The same with a 50 µs tool. */
  ratio_50us: number;
  /** Per-call guard (decision + grant + intent + audit, tool time excluded), µs. */
  guard_p50_us: number;
  guard_p99_us: number;
  /** Memoized policy decisions per second, entity loading included. */
  decisions_per_s: number;
  /** Audit appends per second through the group-committing log (chained, durable). */
  audit_appends_per_s: number;
}

export interface AuthzBenchOptions {
  /** The workspace whose people and first thread the turns use (default: the one package.json names). */
  workspaceDir?: string;
  /** Turns per mode per round. */
  turns?: number;
  rounds?: number;
  /** Turns in flight at once (several people asking at the same time). */
  concurrency?: number;
  onProgress?: (line: string) => void;
}

interface Mode {
  name: 'baseline' | 'authorized';
  tool: ToolDefinition;
}

/**
 * Measures what user authorization costs an agent turn (issue 2 point 13): the same workload —
 * the offline model, one tool call per turn, an in-process tool that works 1 ms or 50 µs — run
 * with no authorization at all and in user-authorized mode (every call through the gateway:
 * validate, authorize, mint grant, record intent, execute, label, audit; then the disclosure
 * decision), alternating in one process on one durable SQLite store so machine noise hits both.
 */
export async function runAuthzBench(options: AuthzBenchOptions = {}): Promise<AuthzBenchResult> {
  const turns = options.turns ?? 300;
  const rounds = options.rounds ?? 4;
  const concurrency = options.concurrency ?? 8;
  const progress = options.onProgress ?? (() => {});
  const dir = await mkdtemp(join(tmpdir(), 'behalf-bench-authz-'));
  // Exclusive, as `behalf serve` opens it: the server is the only process using its data directory.
  const store = await createSqliteStore({ path: join(dir, 'behalf.db'), exclusive: true });
  try {
    const app = await buildEngine({ store, model: createOfflineModel() });
    for (const [name, micros] of [
      ['bench_work_1ms', 1000],
      ['bench_work_50us', 50],
    ] as const) {
      app.registry.register(workTool(name, micros, app.grants));
    }
    const workspace = await loadBenchWorkspace(options.workspaceDir);
    await workspace.seed(store, app.audit, app.clock);
    const bench = new TurnBench(app, workspace);
    const ratios: Record<'1ms' | '50us', { baseline: number; authorized: number }> = {
      '1ms': { baseline: 0, authorized: 0 },
      '50us': { baseline: 0, authorized: 0 },
    };
    // Warm-up: JIT, policy memo, prepared statements.
    for (const [size, micros] of [
      ['1ms', 1000],
      ['50us', 50],
    ] as const) {
      await bench.measure(modeOf('baseline', size, micros, app), 40, concurrency);
      await bench.measure(modeOf('authorized', size, micros, app), 40, concurrency);
    }
    for (let round = 0; round < rounds; round += 1) {
      for (const [size, micros] of [
        ['1ms', 1000],
        ['50us', 50],
      ] as const) {
        const order: Mode['name'][] = round % 2 === 0 ? ['baseline', 'authorized'] : ['authorized', 'baseline'];
        for (const name of order) {
          const seconds = await bench.measure(modeOf(name, size, micros, app), turns, concurrency);
          ratios[size][name] += seconds;
          progress(`round ${round + 1}/${rounds} ${size} ${name}: ${round2(turns / seconds)} turns/s`);
        }
      }
    }
    const guard = await measureGuard(app, workspace, Math.max(500, turns * 2));
    progress(`guard: p50 ${round(percentile(guard, 50), 1)} µs, p99 ${round(percentile(guard, 99), 1)} µs`);
    const decisionsPerSecond = await measureDecisions(app, workspace);
    progress(`decisions: ${Math.round(decisionsPerSecond)}/s`);
    const appendsPerSecond = await measureAppends(app, workspace);
    progress(`audit appends: ${Math.round(appendsPerSecond)}/s`);
    await app.drain();
    // Same number of turns in each mode: throughput ratio = baseline time ÷ authorized time.
    return {
      bench: 'authz',
      ratio_1ms: round(ratios['1ms'].baseline / ratios['1ms'].authorized),
      ratio_50us: round(ratios['50us'].baseline / ratios['50us'].authorized),
      guard_p50_us: round(percentile(guard, 50), 1),
      guard_p99_us: round(percentile(guard, 99), 1),
      decisions_per_s: Math.round(decisionsPerSecond),
      audit_appends_per_s: Math.round(appendsPerSecond),
    };
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function modeOf(name: Mode['name'], size: '1ms' | '50us', micros: number, app: App): Mode {
  const toolName = size === '1ms' ? 'bench_work_1ms' : 'bench_work_50us';
  return {
    name,
    tool: name === 'authorized' ? (app.registry.get(toolName) as ToolDefinition) : workTool(toolName, micros),
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Runs turns of one mode and returns the elapsed seconds. */
class TurnBench {
  private counter = 0;
  private readonly model = createOfflineModel();

  constructor(
    private readonly app: App,
    private readonly workspace: BenchWorkspace,
  ) {}

  async measure(mode: Mode, turns: number, concurrency: number): Promise<number> {
    const started = performance.now();
    await runPool(turns, concurrency, () => this.turn(mode));
    await this.app.audit.drain();
    return (performance.now() - started) / 1000;
  }

  private async turn(mode: Mode): Promise<void> {
    const runId = `bench_run_${++this.counter}`;
    // Turns rotate over the thread's first three members.
    const members = this.workspace.thread.members;
    const requesterId = members[this.counter % Math.min(3, members.length)] ?? this.workspace.thread.ownerId;
    const messages: ModelMessage[] = [{ role: 'user', content: `[${requesterId}] @agent /tool ${mode.tool.name} {}` }];
    const controller = new AbortController();
    const turn = await runTurn({
      model: this.model,
      context: { instructions: 'benchmark', messages, labels: ['public'], included: 1, withheld: 0, referenced: 0 },
      tools: [mode.tool],
      maxSteps: 3,
      signal: controller.signal,
      onDelta: () => {},
      onModelStep: () => {},
      rejectUnparsed: async () => {},
      callTool: (name, args, toolCallId, signal) =>
        mode.name === 'authorized'
          ? this.authorizedCall(runId, requesterId, name, args, toolCallId, signal)
          : baselineCall(mode.tool, args, this.workspace.thread.id, runId, toolCallId, signal),
    });
    if (mode.name === 'authorized') {
      await decideDisclosure({
        requesterId,
        labels: ['public'],
        members: this.workspace.thread.members,
        visibility: this.app.visibility,
        people: new Map(),
      });
    }
    if (!turn.text) throw new Error('benchmark turn produced no answer');
  }

  private async authorizedCall(
    runId: string,
    requesterId: string,
    name: string,
    args: unknown,
    toolCallId: string,
    signal: AbortSignal,
  ): Promise<ToolResultEnvelope> {
    const result = await this.app.gateway.call(
      { id: runId, threadId: this.workspace.thread.id, requesterId, mode: 'user' },
      name,
      args,
      `${runId}:${toolCallId}`,
      signal,
    );
    if (!result.envelope.ok) throw new Error(`benchmark call refused: ${result.envelope.error.message}`);
    return result.envelope;
  }
}

/** The no-authorization baseline: validate and execute, nothing else. */
async function baselineCall(
  tool: ToolDefinition,
  args: unknown,
  threadId: string,
  runId: string,
  toolCallId: string,
  signal: AbortSignal,
): Promise<ToolResultEnvelope> {
  const parsed = tool.inputSchema.safeParse(args);
  if (!parsed.success) return { ok: false, error: { code: 'invalid_arguments', message: 'invalid', policies: [] } };
  const output = await tool.execute(parsed.data, {
    agent: 'behalf-agent',
    threadId,
    runId,
    callId: toolCallId,
    grant: undefined as never,
    signal,
    willRead: () => {},
  });
  return { ok: true, content: output.content, labels: output.labels };
}

/**
 * The guard's own latency per call, one call at a time so nothing else shares the event loop:
 * the gateway's whole path (validate, two decisions, grant, intent, grant check in the tool,
 * label, audit commit) minus the tool's 50 µs of work.
 */
async function measureGuard(app: App, workspace: BenchWorkspace, calls: number): Promise<number[]> {
  const samples: number[] = [];
  const signal = new AbortController().signal;
  for (let index = 0; index < calls; index += 1) {
    const runId = `bench_guard_${index}`;
    const started = performance.now();
    const result = await app.gateway.call(
      { id: runId, threadId: workspace.thread.id, requesterId: workspace.thread.ownerId, mode: 'user' },
      'bench_work_50us',
      {},
      `${runId}:call`,
      signal,
    );
    samples.push((performance.now() - started) * 1000 - 50);
    if (!result.envelope.ok) throw new Error(`benchmark call refused: ${result.envelope.error.message}`);
  }
  return samples.slice(Math.floor(calls / 10));
}

async function measureDecisions(app: App, workspace: BenchWorkspace): Promise<number> {
  const requests: AuthorizationRequest[] = [];
  // A label each person is decided for: the catalogue's last (the most specific, usually).
  const label = workspace.labels.at(-1) ?? 'public';
  for (const user of workspace.users) {
    requests.push({
      principal: { type: 'User', id: user.id },
      action: 'useTool',
      resource: { type: 'Tool', id: 'bench_work_50us' },
      context: { viaAgent: true, mode: 'user' },
    });
    requests.push({
      principal: { type: 'User', id: user.id },
      action: 'readLabel',
      resource: { type: 'Label', id: label },
      context: { viaAgent: false },
    });
    requests.push({
      principal: { type: 'User', id: user.id },
      action: 'invokeAgent',
      resource: { type: 'Thread', id: workspace.thread.id },
      context: { viaAgent: false },
    });
  }
  const total = 30_000;
  for (const request of requests) await app.policy.authorize(request);
  const started = performance.now();
  for (let index = 0; index < total; index += 1)
    await app.policy.authorize(requests[index % requests.length] as AuthorizationRequest);
  return total / ((performance.now() - started) / 1000);
}

async function measureAppends(app: App, workspace: BenchWorkspace): Promise<number> {
  const total = 20_000;
  const wave = 64;
  const started = performance.now();
  for (let done = 0; done < total; done += wave) {
    await Promise.all(
      Array.from({ length: wave }, (_, index) =>
        app.audit.append({
          requester: workspace.thread.ownerId,
          agent: app.agentId,
          mode: 'user',
          threadId: workspace.thread.id,
          runId: `bench_append_${done + index}`,
          action: 'tool.call',
          resource: 'tool:bench',
          decision: 'allow',
          policies: ['users-use-tools'],
          argsHash: '0'.repeat(64),
        }),
      ),
    );
  }
  return total / ((performance.now() - started) / 1000);
}
