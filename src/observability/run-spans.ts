import {
  type Attributes,
  type Context,
  type HrTime,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ERROR_TYPE_VALUE_OTHER } from '@opentelemetry/semantic-conventions';
import type { Run, RunStep } from '../agent/types.ts';
import {
  ATTR_BEHALF_APPROVAL_OUTCOME,
  ATTR_BEHALF_ARGS_HASH,
  ATTR_BEHALF_DECISION,
  ATTR_BEHALF_DISCLOSURE_AUDIENCE,
  ATTR_BEHALF_LABELS,
  ATTR_BEHALF_MODE,
  ATTR_BEHALF_POLICIES,
  ATTR_BEHALF_RUN_ID,
  ATTR_BEHALF_RUN_STATUS,
  ATTR_GEN_AI_AGENT_ID,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_TOOL_TYPE,
  ATTR_USER_ID,
  GEN_AI_OPERATION_EXECUTE_TOOL,
  GEN_AI_OPERATION_INVOKE_AGENT,
  GEN_AI_TOOL_TYPE_FUNCTION,
} from './gen-ai-attributes.ts';
import type { TracedAgent } from './types.ts';

type ToolCallStep = Extract<RunStep, { kind: 'tool-call' }>;

/**
 * Records one ended run as a trace: an `invoke_agent {agent}` span from the run's creation to its
 * end, with one `execute_tool {tool}` child per tool call at the call's recorded start and
 * duration, and approvals and the disclosure decision as events. Both span kinds are INTERNAL:
 * the agent and its tools run in this process.
 *
 * Only identifiers, decisions, labels and hashes become attributes. Message text, tool
 * arguments and results, and the run's error and refusal reasons (free text that may quote a
 * statement or its data) never do (I6 keeps hashes only).
 */
export function recordRunSpans(tracer: Tracer, run: Run, agent: TracedAgent): void {
  const toolCalls = run.steps.filter((step): step is ToolCallStep => step.kind === 'tool-call');
  const end = Math.max(run.createdAt, run.updatedAt, ...toolCalls.map((step) => step.at + (step.durationMs ?? 0)));
  // On every span: a backend filters tool calls by requester without joining to their parent.
  const acting: Attributes = {
    [ATTR_GEN_AI_AGENT_ID]: agent.id,
    [ATTR_GEN_AI_CONVERSATION_ID]: run.threadId,
    [ATTR_USER_ID]: run.requesterId,
    [ATTR_BEHALF_RUN_ID]: run.id,
    [ATTR_BEHALF_MODE]: run.mode,
  };
  const agentName = agent.name ?? agent.id;
  const invocation = tracer.startSpan(
    `${GEN_AI_OPERATION_INVOKE_AGENT} ${agentName}`,
    {
      kind: SpanKind.INTERNAL,
      startTime: hrTimeOf(run.createdAt),
      attributes: {
        ...acting,
        [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_INVOKE_AGENT,
        [ATTR_GEN_AI_AGENT_NAME]: agentName,
        ...(agent.provider ? { [ATTR_GEN_AI_PROVIDER_NAME]: agent.provider } : {}),
        ...(agent.model ? { [ATTR_GEN_AI_REQUEST_MODEL]: agent.model } : {}),
        [ATTR_BEHALF_RUN_STATUS]: run.status,
        [ATTR_BEHALF_LABELS]: run.labels,
      },
    },
    ROOT_CONTEXT,
  );
  const parent = trace.setSpan(ROOT_CONTEXT, invocation);
  for (const step of run.steps) {
    // Model steps carry no start or duration of their own, so they get no `chat` span.
    if (step.kind === 'tool-call') recordToolCall(tracer, parent, step, acting);
    else if (step.kind === 'approval')
      invocation.addEvent(
        'behalf.approval',
        { [ATTR_GEN_AI_TOOL_NAME]: step.tool, [ATTR_BEHALF_APPROVAL_OUTCOME]: step.outcome },
        hrTimeOf(step.at),
      );
    else if (step.kind === 'disclosure')
      invocation.addEvent(
        'behalf.disclosure',
        { [ATTR_BEHALF_DISCLOSURE_AUDIENCE]: step.audience, [ATTR_BEHALF_LABELS]: step.labels },
        hrTimeOf(step.at),
      );
  }
  if (run.status === 'failed') markFailed(invocation, ERROR_TYPE_VALUE_OTHER);
  invocation.end(hrTimeOf(end));
}

function recordToolCall(tracer: Tracer, parent: Context, step: ToolCallStep, acting: Attributes): void {
  const span = tracer.startSpan(
    `${GEN_AI_OPERATION_EXECUTE_TOOL} ${step.tool}`,
    {
      kind: SpanKind.INTERNAL,
      startTime: hrTimeOf(step.at),
      attributes: {
        ...acting,
        [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_EXECUTE_TOOL,
        [ATTR_GEN_AI_TOOL_NAME]: step.tool,
        [ATTR_GEN_AI_TOOL_CALL_ID]: step.callId,
        [ATTR_GEN_AI_TOOL_TYPE]: GEN_AI_TOOL_TYPE_FUNCTION,
        [ATTR_BEHALF_DECISION]: step.decision,
        [ATTR_BEHALF_POLICIES]: step.policies,
        [ATTR_BEHALF_ARGS_HASH]: step.argsHash,
        ...(step.labels ? { [ATTR_BEHALF_LABELS]: step.labels } : {}),
      },
    },
    parent,
  );
  // A refused or failed call did not do what the model asked: the span says so, not why.
  if (step.decision === 'deny' || step.decision === 'error') markFailed(span, step.decision);
  span.end(hrTimeOf(step.at + (step.durationMs ?? 0)));
}

function markFailed(span: Span, errorType: string): void {
  span.setAttribute(ATTR_ERROR_TYPE, errorType);
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** Epoch milliseconds as OpenTelemetry's `[seconds, nanoseconds]`, never mistaken for a monotonic offset. */
function hrTimeOf(epochMs: number): HrTime {
  const seconds = Math.floor(epochMs / 1000);
  return [seconds, Math.round((epochMs - seconds * 1000) * 1_000_000)];
}
