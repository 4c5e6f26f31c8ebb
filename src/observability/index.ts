export { ReportingSpanExporter } from './reporting-span-exporter.ts';
export { recordRunSpans } from './run-spans.ts';
export { createRunTracing, type RunTracingOptions } from './run-tracing.ts';
export { tracedModel } from './traced-model.ts';
export type { OtlpTraceTarget, RunTracing, TracedAgent, TracedRuns } from './types.ts';
