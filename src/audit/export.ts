import { sha256Hex } from '../shared/hash.ts';
import type { AuditLogStore, AuditRecord } from './types.ts';

/** Export formats of `behalf audit export`. */
export type AuditExportFormat = 'jsonl' | 'otel';

/**
 * Streams the log in seq order as lines: one JSON record per line (`jsonl`), or one
 * OpenTelemetry-shaped span per record (`otel`): trace = the run, span = the record, attributes
 * under `behalf.*` and `enduser.id` for the human requester.
 */
export async function* exportAudit(
  store: AuditLogStore,
  format: AuditExportFormat,
  pageSize = 1000,
): AsyncGenerator<string> {
  let afterSeq = 0;
  for (;;) {
    const page = await store.scan(afterSeq, pageSize);
    if (page.length === 0) return;
    for (const record of page) yield JSON.stringify(format === 'otel' ? toOtelSpan(record) : record);
    afterSeq = page[page.length - 1]?.seq ?? afterSeq;
  }
}

/** One audit record as an OpenTelemetry span (OTLP JSON field names). */
export function toOtelSpan(record: AuditRecord): Record<string, unknown> {
  const attributes: Record<string, unknown> = {
    'enduser.id': record.requester,
    'behalf.agent': record.agent,
    'behalf.mode': record.mode,
    'behalf.thread_id': record.threadId,
    'behalf.run_id': record.runId,
    'behalf.action': record.action,
    'behalf.resource': record.resource,
    'behalf.decision': record.decision,
    'behalf.policies': record.policies,
    'behalf.reason': record.reason,
    'behalf.args_sha256': record.argsHash,
    'behalf.result_sha256': record.resultHash,
    'behalf.labels': record.labels,
    'behalf.statement': record.statement,
    'behalf.statement_sha256': record.statementHash,
    'behalf.audit.seq': record.seq,
    'behalf.audit.hash': record.hash,
    'behalf.audit.prev_hash': record.prevHash,
  };
  const nanos = `${BigInt(record.at) * 1_000_000n}`;
  return {
    traceId: hex32(record.runId ?? record.threadId ?? record.id),
    spanId: record.hash.slice(0, 16),
    name: record.action,
    kind: 'SPAN_KIND_INTERNAL',
    startTimeUnixNano: nanos,
    endTimeUnixNano: nanos,
    status: { code: record.decision === 'allow' ? 'STATUS_CODE_OK' : 'STATUS_CODE_ERROR', message: record.decision },
    attributes: Object.entries(attributes)
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([key, value]) => ({ key, value: otelValue(value) })),
  };
}

function otelValue(value: unknown): Record<string, unknown> {
  if (Array.isArray(value)) return { arrayValue: { values: value.map((item) => ({ stringValue: String(item) })) } };
  if (typeof value === 'number') return { intValue: String(value) };
  return { stringValue: String(value) };
}

/** A stable 32-hex-digit trace id derived from a run or thread id. */
function hex32(text: string): string {
  return sha256Hex(text).slice(0, 32);
}
