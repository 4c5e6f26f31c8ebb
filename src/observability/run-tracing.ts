import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { TERMINAL_RUN_STATUSES } from '../agent/types.ts';
import type { DomainEvent } from '../events/types.ts';
import { ReportingSpanExporter } from './reporting-span-exporter.ts';
import { recordRunSpans } from './run-spans.ts';
import type { OtlpTraceTarget, RunTracing, TracedAgent, TracedRuns } from './types.ts';

/** What run tracing is built from. */
export interface RunTracingOptions {
  /** The OTLP/HTTP endpoint spans are sent to. */
  target: OtlpTraceTarget;
  /** Where ended runs (their steps and timings) are read. */
  runs: TracedRuns;
  agent: TracedAgent;
  /** Told when a run cannot be read or spans cannot be exported; nothing is ever thrown. */
  onProblem: (line: string) => void;
}

/**
 * Exports agent runs as OpenTelemetry spans (GenAI semantic conventions) to an OTLP endpoint.
 *
 * Why after the fact, from the stored run, rather than spans opened and closed around the
 * engine's calls: a run already records what a trace needs (each tool call's start, duration,
 * decision, labels and argument hash; approvals; the disclosure), durably and in one place, so
 * the engine's hot path gains no instrumentation and no dependency on OpenTelemetry, and a run
 * that outlives an approval wait, or resumes in another process, still becomes one trace. The
 * cost is that spans appear when the run ends, not while it is in flight.
 *
 * The provider is never registered globally: no process-wide state, and another library's
 * OpenTelemetry setup (the AI SDK's) is left alone. Spans are batched and sent in the background.
 */
export function createRunTracing(options: RunTracingOptions): RunTracing {
  const { runs, agent, onProblem } = options;
  const exporter = new ReportingSpanExporter(
    new OTLPTraceExporter({ url: options.target.url, headers: options.target.headers }),
    onProblem,
  );
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.target.serviceName }),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('behalf');
  const reading = new Set<Promise<void>>();
  let stopped = false;

  const exportRun = async (runId: string): Promise<void> => {
    const run = await runs.get(runId);
    if (run) recordRunSpans(tracer, run, agent);
  };
  const handle = (event: DomainEvent): void => {
    if (stopped || event.type !== 'run-updated' || !TERMINAL_RUN_STATUSES.includes(event.status)) return;
    const task: Promise<void> = exportRun(event.runId)
      .catch((error: unknown) => onProblem(`could not trace run ${event.runId}: ${messageOf(error)}`))
      .finally(() => reading.delete(task));
    reading.add(task);
  };
  const flush = async (): Promise<void> => {
    await Promise.allSettled([...reading]);
    // A failed export was already reported by the exporter, and one still pending (a flush that
    // timed out) will be when it ends: saying it again here would only repeat it.
    await provider.forceFlush().catch(() => {});
  };

  return {
    handle,
    observe: (events) => ({
      publish(event) {
        events.publish(event);
        handle(event);
      },
      subscribe: (handler) => events.subscribe(handler),
      close: () => events.close(),
    }),
    flush,
    async shutdown() {
      await flush();
      stopped = true;
      await provider.shutdown().catch(() => {});
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
