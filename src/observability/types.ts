import type { Run } from '../agent/types.ts';
import type { DomainEvent, EventBus } from '../events/types.ts';

/** The agent as its spans name it (`gen_ai.agent.*`) and the model behind it, when known. */
export interface TracedAgent {
  /** The acting agent's id, as in grants and audit records (`behalf-agent`). */
  id: string;
  /** Human-readable name (default: the id); the `invoke_agent {name}` span is named after it. */
  name?: string;
  /** `gen_ai.provider.name`: `openai`, `anthropic`... (`behalf` for the offline model). */
  provider?: string;
  /** `gen_ai.request.model`. */
  model?: string;
}

/** Where spans are sent: an OTLP/HTTP traces endpoint (JSON bodies) and how to call it. */
export interface OtlpTraceTarget {
  /** Full URL of the traces endpoint, `…/v1/traces`. */
  url: string;
  /** Extra request headers (a collector's or vendor's API key); never logged. */
  headers: Record<string, string>;
  /** `service.name` of the exported resource. */
  serviceName: string;
}

/**
 * Exports agent runs as OpenTelemetry spans once they end. It only ever reads runs: it never
 * blocks, slows or fails one, and an export that fails is reported and its spans dropped.
 */
export interface RunTracing {
  /**
   * Wraps the engine's event bus: each run whose terminal `run-updated` this process publishes
   * is exported. Runs ended by other processes sharing the bus are theirs to export.
   */
  observe(events: EventBus): EventBus;
  /** Handles one event as if this process had published it (a bus used by this process alone). */
  handle(event: DomainEvent): void;
  /** Exports what has ended so far; resolves even when the endpoint is unreachable. */
  flush(): Promise<void>;
  /** Flushes, then stops: later runs are not exported. */
  shutdown(): Promise<void>;
}

/** The runs the tracer reads (the store's run port). */
export interface TracedRuns {
  get(id: string): Promise<Run | undefined>;
}
