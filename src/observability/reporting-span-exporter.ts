import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/**
 * A span exporter that tells the operator when exports start failing. The SDK drops a batch it
 * cannot send and reports it only to its global diagnostic logger, which Behalf leaves unset (no
 * process-wide state); this says it once per outage instead, and once more when exports resume.
 */
export class ReportingSpanExporter implements SpanExporter {
  private failing = false;

  constructor(
    private readonly inner: SpanExporter,
    private readonly onProblem: (line: string) => void,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) {
        if (this.failing) this.onProblem('OpenTelemetry spans are being exported again');
        this.failing = false;
      } else if (!this.failing) {
        this.failing = true;
        this.onProblem(
          `could not export ${spans.length} OpenTelemetry spans (dropped; reported once until exports resume): ${
            result.error?.message ?? 'unknown error'
          }`,
        );
      }
      resultCallback(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
