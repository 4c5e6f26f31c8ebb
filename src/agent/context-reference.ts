import type { Message } from '../threads/types.ts';

/** Name of the gateway tool that reads an earlier labelled item into a run (SPEC §13). */
export const READ_CONTEXT_TOOL = 'read_context_item';

/** Labels that let an item's content enter any run's context directly: public data only. */
export function isPublicItem(message: Pick<Message, 'labels'>): boolean {
  return message.labels.length > 0 && message.labels.every((label) => label === 'public');
}

/**
 * How an earlier labelled item appears in a later run's context (SPEC §13): who produced it,
 * when, its labels and its shape — never its content. The model reads the content through
 * `read_context_item` (audited, decided for the requester); only then do content and labels
 * join the run, so a greeting after a salary question stays public.
 */
export function contextReference(message: Message, requesterName: string): string {
  const when = new Date(message.createdAt).toISOString().slice(0, 16).replace('T', ' ');
  return (
    `[context item ${message.id}: an earlier answer for ${requesterName} at ${when} UTC, ` +
    `labelled ${[...message.labels].sort().join(', ')}; ${shapeOf(message.text)}. Its content is not ` +
    `included: read it with ${READ_CONTEXT_TOOL} {"id": "${message.id}"} only if the request needs it.]`
  );
}

/** "a 40-row table and 12 words", from the Markdown alone (counts, no values). */
function shapeOf(text: string): string {
  const tableLines = text.split('\n').filter((line) => /^\s*\|/.test(line));
  // A Markdown table: header, separator, then one line per row.
  const rows = Math.max(0, tableLines.length - 2);
  const prose = text
    .split('\n')
    .filter((line) => !/^\s*\|/.test(line))
    .join(' ');
  const words = prose.split(/\s+/).filter(Boolean).length;
  const parts = [];
  if (rows > 0) parts.push(`a ${rows}-row table`);
  parts.push(`${words} word${words === 1 ? '' : 's'} of text`);
  return parts.join(' and ');
}
