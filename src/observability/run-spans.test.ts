import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import type { Run } from '../agent/types.ts';
import { recordRunSpans } from './run-spans.ts';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

function runWith(patch: Partial<Run>): Run {
  return {
    id: 'run_1',
    threadId: 'thr_1',
    requesterId: 'carol',
    triggerMessageId: 'msg_1',
    mode: 'user',
    status: 'done',
    answerMessageId: 'msg_2',
    error: null,
    steps: [],
    labels: ['hr'],
    state: null,
    createdAt: T0,
    updatedAt: T0 + 900,
    leaseOwner: null,
    leaseExpiresAt: null,
    ...patch,
  };
}

async function record(run: Run) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  recordRunSpans(provider.getTracer('test'), run, { id: 'behalf-agent', name: 'Behalf agent' });
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}

const millis = ([seconds, nanos]: [number, number]) => seconds * 1000 + nanos / 1e6;

describe('recordRunSpans', () => {
  it('places each tool call at its recorded start and duration, refusals marked as errors', async () => {
    const spans = await record(
      runWith({
        steps: [
          { kind: 'model-step', at: T0 + 100, index: 0, finishReason: 'tool-calls' },
          {
            kind: 'tool-call',
            at: T0 + 120,
            callId: 'run_1:c1',
            tool: 'sql',
            argsHash: 'a1',
            decision: 'allow',
            policies: ['users-use-tools'],
            labels: ['hr'],
            durationMs: 250,
          },
          {
            kind: 'tool-call',
            at: T0 + 400,
            callId: 'run_1:c2',
            tool: 'create_ticket',
            argsHash: 'a2',
            decision: 'deny',
            policies: ['writes-need-approval'],
            reason: 'Approval was not given: INSERT INTO tickets …',
            durationMs: 30,
          },
          { kind: 'approval', at: T0 + 410, approvalId: 'apr_1', tool: 'create_ticket', outcome: 'denied' },
          { kind: 'disclosure', at: T0 + 800, audience: 'requester', labels: ['hr'], policies: [], reason: 'x' },
        ],
      }),
    );
    const invocation = spans.find((span) => span.name === 'invoke_agent Behalf agent');
    const sql = spans.find((span) => span.name === 'execute_tool sql');
    const ticket = spans.find((span) => span.name === 'execute_tool create_ticket');
    expect(spans).toHaveLength(3);
    expect(invocation?.kind).toBe(SpanKind.INTERNAL);
    expect(millis(invocation?.startTime ?? [0, 0])).toBe(T0);
    expect(millis(invocation?.endTime ?? [0, 0])).toBe(T0 + 900);
    expect(invocation?.events.map((event) => [event.name, event.attributes])).toEqual([
      ['behalf.approval', { 'gen_ai.tool.name': 'create_ticket', 'behalf.approval.outcome': 'denied' }],
      ['behalf.disclosure', { 'behalf.disclosure.audience': 'requester', 'behalf.labels': ['hr'] }],
    ]);
    expect(millis(sql?.startTime ?? [0, 0])).toBe(T0 + 120);
    expect(millis(sql?.endTime ?? [0, 0])).toBe(T0 + 370);
    expect(sql?.parentSpanContext?.spanId).toBe(invocation?.spanContext().spanId);
    expect(sql?.status.code).toBe(SpanStatusCode.UNSET);
    expect(sql?.attributes).toMatchObject({ 'behalf.labels': ['hr'], 'behalf.args_hash': 'a1', 'user.id': 'carol' });
    expect(ticket?.status.code).toBe(SpanStatusCode.ERROR);
    expect(ticket?.status.message).toBeUndefined();
    expect(ticket?.attributes).toMatchObject({ 'error.type': 'deny', 'behalf.decision': 'deny' });
    expect(JSON.stringify(spans.map((span) => [span.attributes, span.events]))).not.toContain('INSERT');
  });

  it('marks a failed run without its error text, and ends it no earlier than its last call', async () => {
    const spans = await record(
      runWith({
        status: 'failed',
        error: 'relation "salaries" does not exist in SELECT * FROM salaries',
        updatedAt: T0 + 50,
        steps: [
          {
            kind: 'tool-call',
            at: T0 + 10,
            callId: 'c1',
            tool: 'sql',
            argsHash: 'h',
            decision: 'error',
            policies: [],
            durationMs: 90,
          },
        ],
      }),
    );
    const invocation = spans.find((span) => span.name.startsWith('invoke_agent'));
    expect(invocation?.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(invocation?.attributes).toMatchObject({ 'error.type': '_OTHER', 'behalf.run.status': 'failed' });
    expect(millis(invocation?.endTime ?? [0, 0])).toBe(T0 + 100);
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toMatch(/salaries/);
  });
});
