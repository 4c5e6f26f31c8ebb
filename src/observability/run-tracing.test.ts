import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_THREAD } from '../../test/support/example-workspace.ts';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '../../test/support/otlp-receiver.ts';
import { createTestApp, type TestApp } from '../../test/support/test-app.ts';
import { LocalEventBus } from '../events/local-event-bus.ts';
import type { DomainEvent } from '../events/types.ts';
import { createRunTracing } from './run-tracing.ts';
import { tracedModel } from './traced-model.ts';
import type { RunTracing } from './types.ts';

/**
 * Issue 11 item 8: agent runs leave as OpenTelemetry spans of the GenAI semantic conventions,
 * over OTLP/HTTP to a local receiver, with the human requester on every tool span and nothing
 * of what was asked, run or answered.
 */
describe('run tracing to an OTLP receiver (issue 11, item 8)', () => {
  let app: TestApp;
  let receiver: OtlpReceiver;
  let tracing: RunTracing;
  const problems: string[] = [];

  beforeAll(async () => {
    app = await createTestApp();
    receiver = await startOtlpReceiver();
    tracing = createRunTracing({
      target: { url: `${receiver.endpoint}/v1/traces`, headers: { 'x-api-key': 'k-123' }, serviceName: 'behalf' },
      runs: app.store.runs,
      agent: { id: app.agentId, ...tracedModel({ provider: 'behalf', modelId: 'offline' }) },
      onProblem: (line) => problems.push(line),
    });
    // A test app's bus is this process's alone: every run ending on it is ours to export.
    app.events.subscribe((event) => tracing.handle(event));
  });
  afterEach(() => {
    receiver.status = 200;
  });
  afterAll(async () => {
    await tracing.shutdown();
    await app.close();
    await receiver.close();
  });

  /** Asks as `user`, waits for the run and the export, and returns the run's spans. */
  async function ask(user: string, threadId: string, text: string): Promise<{ runId: string; spans: ReceivedSpan[] }> {
    const { run } = await app.postMessage(user, threadId, text);
    if (!run) throw new Error('the message did not start a run');
    await app.drain();
    await tracing.flush();
    return { runId: run.id, spans: receiver.spans.filter((span) => span.attributes['behalf.run.id'] === run.id) };
  }

  it('exports one invoke_agent span for the thread and requester, with execute_tool children for bob', async () => {
    const { runId, spans } = await ask('bob', EXAMPLE_THREAD.id, '@agent /sql SELECT 1');
    const run = await app.store.runs.get(runId);
    expect(run?.status).toBe('done');

    const invocations = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'invoke_agent');
    expect(invocations).toHaveLength(1);
    const invocation = invocations[0] as ReceivedSpan;
    expect(invocation).toMatchObject({
      name: `invoke_agent ${app.agentId}`,
      kind: 1,
      parentSpanId: undefined,
      status: 0,
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.id': app.agentId,
        'gen_ai.agent.name': app.agentId,
        'gen_ai.conversation.id': EXAMPLE_THREAD.id,
        'gen_ai.provider.name': 'behalf',
        'gen_ai.request.model': 'offline',
        'user.id': 'bob',
        'behalf.run.id': runId,
        'behalf.run.status': 'done',
        'behalf.mode': 'user',
      },
      resource: { 'service.name': 'behalf' },
    });
    expect(invocation.events.map((event) => event.name)).toContain('behalf.disclosure');

    const toolSpans = spans.filter((span) => span.name === 'execute_tool sql');
    const toolSteps = (run?.steps ?? []).filter((step) => step.kind === 'tool-call' && step.tool === 'sql');
    expect(toolSpans.length).toBeGreaterThan(0);
    expect(toolSpans).toHaveLength(toolSteps.length);
    for (const span of toolSpans) {
      expect(span).toMatchObject({
        kind: 1,
        traceId: invocation.traceId,
        parentSpanId: invocation.spanId,
        attributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': 'sql',
          'gen_ai.tool.type': 'function',
          'gen_ai.conversation.id': EXAMPLE_THREAD.id,
          'gen_ai.agent.id': app.agentId,
          'user.id': 'bob',
          'behalf.run.id': runId,
          'behalf.mode': 'user',
          'behalf.decision': 'allow',
        },
      });
      expect(span.startMs).toBeGreaterThanOrEqual(invocation.startMs);
      expect(span.endMs).toBeLessThanOrEqual(invocation.endMs);
    }
    // The call id and argument hash are the ones the audit log holds for the same call (I6).
    const records = (await app.store.audit.scan(0, 10_000)).filter(
      (record) => record.runId === runId && record.action === 'tool.call',
    );
    expect(
      toolSpans.map((span) => [span.attributes['gen_ai.tool.call.id'], span.attributes['behalf.args_hash']]),
    ).toEqual(records.map((record) => [record.callId, record.argsHash]));
    expect(receiver.headers.every((headers) => headers['x-api-key'] === 'k-123')).toBe(true);
    expect(problems).toEqual([]);
  });

  it('never exports the statement, the message or the answer', async () => {
    const { runId } = await ask('bob', EXAMPLE_THREAD.id, '@agent /sql SELECT title, amount FROM deals');
    const run = await app.store.runs.get(runId);
    const answer = run?.answerMessageId ? await app.store.messages.get(run.answerMessageId) : undefined;
    expect(answer?.text.length).toBeGreaterThan(20);
    const exported = receiver.bodies.join('\n');
    expect(exported).not.toMatch(/select|from deals|@agent/i);
    expect(exported).not.toContain(answer?.text.slice(0, 40));
  });

  it('names the human requester on every span in a self-authorized thread too', async () => {
    const thread = await app.threads.create('frank', { title: 'Eng sync', members: ['bob'] });
    await app.threads.update('frank', thread.id, { mode: 'self', agentId: 'eng-assistant' });
    const { spans } = await ask('bob', thread.id, '@agent /sql SELECT 1');
    expect(spans.length).toBeGreaterThan(1);
    for (const span of spans) {
      expect(span.attributes).toMatchObject({
        'user.id': 'bob',
        'gen_ai.conversation.id': thread.id,
        'behalf.mode': 'self',
      });
    }
    expect(spans.some((span) => span.name === 'execute_tool sql')).toBe(true);
  });

  it('reports an unreachable endpoint once and never holds up or fails the run', async () => {
    receiver.status = 400;
    const before = receiver.spans.length;
    const { runId, spans } = await ask('bob', EXAMPLE_THREAD.id, '@agent /sql SELECT 1');
    expect((await app.store.runs.get(runId))?.status).toBe('done');
    expect(spans).toEqual([]);
    expect(receiver.spans).toHaveLength(before);
    expect(problems, problems.join('\n')).toHaveLength(1);
    expect(problems[0]).toMatch(/could not export \d+ OpenTelemetry spans/);

    receiver.status = 200;
    const resumed = await ask('bob', EXAMPLE_THREAD.id, '@agent /sql SELECT 1');
    expect(resumed.spans.length).toBeGreaterThan(1);
    expect(problems.at(-1)).toBe('OpenTelemetry spans are being exported again');
  });
});

describe('run tracing on a shared event bus', () => {
  const ended = (runId: string, status: 'running' | 'done' = 'done'): DomainEvent => ({
    type: 'run-updated',
    threadId: 'thr_1',
    runId,
    requesterId: 'bob',
    status,
    answerMessageId: null,
  });

  it('exports only the runs this process ended, and survives a run it cannot read', async () => {
    const read: string[] = [];
    const problems: string[] = [];
    const tracing = createRunTracing({
      target: { url: 'http://127.0.0.1:9/v1/traces', headers: {}, serviceName: 'behalf' },
      runs: {
        async get(id) {
          read.push(id);
          throw new Error('store closed');
        },
      },
      agent: { id: 'behalf-agent' },
      onProblem: (line) => problems.push(line),
    });
    const shared = new LocalEventBus();
    const observed = tracing.observe(shared);
    const delivered: string[] = [];
    observed.subscribe((event) => delivered.push(event.type));

    shared.publish(ended('run_elsewhere')); // arrived from another process over the shared bus
    observed.publish(ended('run_here', 'running'));
    observed.publish(ended('run_here'));
    await tracing.shutdown();
    observed.publish(ended('run_after'));

    expect(delivered).toEqual(['run-updated', 'run-updated', 'run-updated', 'run-updated']);
    expect(read).toEqual(['run_here']);
    expect(problems).toEqual(['could not trace run run_here: store closed']);
  });
});
