import type { LabelSourceKind } from '../protocol/answer-wire.ts';
import type { LabelOrigin } from '../threads/types.ts';
import type { RunStep } from './types.ts';

/** A message whose content entered a run's context, with its labels (see `assembleContext`). */
export interface ContextSource {
  messageId: string;
  at: number;
  labels: string[];
}

const KIND_OF_SOURCE: Record<LabelSourceKind, LabelOrigin['kind']> = {
  table: 'tool',
  document: 'document',
  message: 'message',
  memory: 'memory',
};

/**
 * Where each label of an answer came from (issue 10 point 2, SPEC §13): every tool call of the
 * run that carried it (any outcome: an error carries labels too, I5), narrowed to the table,
 * document, message or memory the gateway recorded, and every message included as content in
 * the run's context. The same facts a memory's `origin` records (`memoryProvenance`), one entry
 * per label. A label nothing explains (none should exist) is attributed to the run's context
 * rather than left without an origin.
 */
export function labelOrigins(input: {
  labels: readonly string[];
  steps: readonly RunStep[];
  context: readonly ContextSource[];
  /** When the run started: the time of a label nothing else explains. */
  startedAt: number;
}): LabelOrigin[] {
  const wanted = new Set(input.labels);
  const origins: LabelOrigin[] = [];
  const seen = new Set<string>();
  const add = (origin: LabelOrigin) => {
    if (!wanted.has(origin.label)) return;
    const key = [origin.label, origin.kind, origin.callId ?? '', origin.detail ?? ''].join('\u0000');
    if (seen.has(key)) return;
    seen.add(key);
    origins.push(origin);
  };
  for (const source of input.context) {
    for (const label of source.labels) add({ label, kind: 'message', detail: source.messageId, at: source.at });
  }
  for (const step of input.steps) {
    if (step.kind !== 'tool-call' || !step.labels) continue;
    for (const label of step.labels) {
      const sources = (step.labelSources ?? []).filter((source) => source.label === label);
      const call = { label, tool: step.tool, callId: step.callId, at: step.at };
      if (sources.length === 0) add({ ...call, kind: 'tool' });
      for (const source of sources) add({ ...call, kind: KIND_OF_SOURCE[source.kind], detail: source.source });
    }
  }
  const explained = new Set(origins.map((origin) => origin.label));
  for (const label of input.labels) {
    if (!explained.has(label)) add({ label, kind: 'message', at: input.startedAt });
  }
  return origins;
}

/**
 * An origin in words, for the private notice and the trace: "the `compensation` rows of the sql
 * call at 10:02", "document `doc-handbook` (get_document at 10:02)". `time` formats a time.
 */
export function describeLabelOrigin(origin: LabelOrigin, time: (at: number) => string): string {
  const when = time(origin.at);
  switch (origin.kind) {
    case 'tool':
      return origin.detail
        ? `the \`${origin.detail}\` rows of the ${origin.tool} call at ${when}`
        : `the ${origin.tool} call at ${when}`;
    case 'document':
      return `document \`${origin.detail ?? '?'}\` (${origin.tool ?? 'a'} call at ${when})`;
    case 'memory':
      return `memory \`${origin.detail ?? '?'}\` (${origin.tool ?? 'a'} call at ${when})`;
    case 'message':
      if (origin.callId) return `the earlier item \`${origin.detail ?? '?'}\` (${origin.tool} call at ${when})`;
      return 'the conversation';
  }
}

/** "10:02": hours and minutes in UTC, for text stored on the server (the UI shows local times). */
export function utcMinutes(at: number): string {
  return new Date(at).toISOString().slice(11, 16);
}

/** The origins of `labels` in words, deduplicated, for a private notice: "the `compensation` rows of the sql call at 10:02". */
export function describeOriginsOf(origins: readonly LabelOrigin[], labels: readonly string[]): string {
  const wanted = new Set(labels);
  const phrases = [
    ...new Set(
      origins.filter((origin) => wanted.has(origin.label)).map((origin) => describeLabelOrigin(origin, utcMinutes)),
    ),
  ];
  return phrases.join('; ');
}
