import type { Run } from '../agent/types.ts';
import type { MemoryOrigin, MemorySource } from './types.ts';

/** What a memory is marked with when nothing says what its run read: nobody is cleared (fail closed). */
const UNCLASSIFIED = 'unclassified';

/**
 * The labels and origin of a memory the run `run` remembers with call `callId`: every label the
 * run has accumulated so far (context and tool results), whatever the model claims the fact is
 * about (I5, I10: remembering cannot launder a label), and the calls those labels came from.
 */
export function memoryProvenance(run: Run, callId: string): { labels: string[]; origin: MemoryOrigin } {
  const labels = run.labels.length > 0 ? [...new Set(run.labels)] : [UNCLASSIFIED];
  const calls: MemorySource[] = run.steps.flatMap((step) =>
    step.kind === 'tool-call' && step.labels && step.labels.length > 0
      ? [{ kind: 'tool-call', callId: step.callId, tool: step.tool, at: step.at, labels: [...step.labels] }]
      : [],
  );
  const fromCalls = new Set(calls.flatMap((source) => source.labels));
  // Labels no call explains entered with the context (items included as content).
  const fromContext = labels.filter((label) => !fromCalls.has(label));
  const sources: MemorySource[] = [
    ...(fromContext.length > 0 ? [{ kind: 'context' as const, labels: fromContext }] : []),
    ...calls,
  ];
  return { labels, origin: { runId: run.id, callId, messageId: run.triggerMessageId, sources } };
}
