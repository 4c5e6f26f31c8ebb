import { READ_CONTEXT_TOOL } from '../context-reference.ts';
import type { Conversation } from './conversation.ts';
import { answerPlan, callPlan, type ModelPlan } from './model-plan.ts';
import { mentions, wordsOf } from './request-text.ts';
import type { ToolCatalogEntry } from './tool-catalog.ts';
import { isRecord } from './tool-outcome.ts';

/** What a follow-up asks of an earlier result: sort it, keep its top rows, or show it again. */
export type FollowUpIntent =
  | { kind: 'sort'; column: string; descending: boolean | undefined }
  | { kind: 'top'; count: number }
  | { kind: 'repeat' };

const POINTING = ['that', 'those', 'it', 'them', 'this', 'these', 'the list', 'the table', 'the results', 'again'];
const SORT =
  /\b(?:sort|order|rank)(?:ed)?\b.*?\bby\s+(?:the\s+|their\s+|its\s+)?([\p{L}\p{N}_ -]{1,40}?)(?:\s+(descending|desc|ascending|asc|highest first|lowest first|largest first|smallest first))?\s*[?.!]*$/iu;
const TOP = /\b(?:top|first)\s+(\d{1,3})\b/i;
const REPEAT = /^(?:(?:can you\s+)?(?:show|repeat|give)\s+(?:me\s+)?(?:that|it|those)(?:\s+again)?|again)[\s?.!]*$/i;

/**
 * Reads a request as a follow-up on an earlier result ("and sort that by bonus", "top 3 of
 * those", "show that again"). Only the request's words decide: a follow-up must point back
 * (`that`, `those`, `again`...) or start with "and"/"now", so a fresh question never
 * dereferences an earlier private answer.
 */
export function followUpIntent(request: string): FollowUpIntent | undefined {
  const text = request.trim();
  const pointsBack =
    mentions(text, POINTING) || /^(?:(?:and|now|then)\s+)?(?:sort|order|rank)\s+(?:it\s+)?by\b/i.test(text);
  if (REPEAT.test(text)) return { kind: 'repeat' };
  if (!pointsBack) return undefined;
  const sort = SORT.exec(text);
  if (sort?.[1]) {
    const direction = sort[2]?.toLowerCase();
    const descending = direction
      ? /desc|highest|largest/.test(direction)
      : mentions(text, ['highest', 'largest', 'most', 'biggest'])
        ? true
        : mentions(text, ['lowest', 'smallest', 'least'])
          ? false
          : undefined;
    return { kind: 'sort', column: sort[1].trim(), descending };
  }
  const top = TOP.exec(text);
  if (top?.[1]) return { kind: 'top', count: Number(top[1]) };
  return undefined;
}

/** The latest earlier item the context names by reference (`[context item msg_…: …]`). */
export function latestReferencedItem(history: Conversation['history']): string | undefined {
  for (let index = history.length - 1; index >= 0; index -= 1) {
    const ids = [...(history[index]?.text ?? '').matchAll(/\[context item ([A-Za-z0-9_-]{1,200}):/g)];
    const last = ids.at(-1)?.[1];
    if (last) return last;
  }
  return undefined;
}

/**
 * First step of a follow-up: read the earlier item it points at when the context holds it only by
 * reference (its labels then join this answer), or answer from an earlier public answer the
 * context holds as content. Undefined when the request is not a follow-up or nothing came before.
 */
export function contextFollowUpPlan(
  request: string,
  catalog: readonly ToolCatalogEntry[],
  history: Conversation['history'],
): ModelPlan | undefined {
  const intent = followUpIntent(request);
  if (!intent) return undefined;
  const latestTable = [...history].reverse().find((entry) => entry.role === 'assistant' && tableOf(entry.text));
  const reference = latestReferencedItem(history);
  const referenceIndex = reference ? history.findLastIndex((entry) => entry.text.includes(reference)) : -1;
  const contentIndex = latestTable ? history.lastIndexOf(latestTable) : -1;
  // The most recent of the two is what "that" means.
  if (reference && referenceIndex >= contentIndex && catalog.some((tool) => tool.name === READ_CONTEXT_TOOL)) {
    return callPlan(READ_CONTEXT_TOOL, { id: reference });
  }
  return latestTable ? answerPlan(applyFollowUp(intent, latestTable.text)) : undefined;
}

/** The answer to a follow-up once the earlier item was read; undefined when none was read. */
export function answerFollowUp(conversation: Conversation): string | undefined {
  const intent = followUpIntent(conversation.request);
  const read = conversation.results.find((result) => result.toolName === READ_CONTEXT_TOOL);
  if (!intent || read?.outcome.kind !== 'ok' || !isRecord(read.outcome.content)) return undefined;
  const text = read.outcome.content.text;
  return typeof text === 'string' ? applyFollowUp(intent, text) : undefined;
}

interface MarkdownTable {
  header: string[];
  rows: string[][];
}

/** The first Markdown table in a text (header, rule, rows), or undefined. */
function tableOf(text: string): MarkdownTable | undefined {
  const lines = text.split('\n').filter((line) => /^\s*\|.*\|\s*$/.test(line));
  if (lines.length < 2) return undefined;
  const cells = (line: string) =>
    line
      .trim()
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim());
  const [header, , ...rows] = lines;
  return header ? { header: cells(header), rows: rows.map(cells) } : undefined;
}

/** `$1,810,000`, `185k`, `1.2M`, `12%` → a number; undefined for text. */
function numericValue(cell: string): number | undefined {
  const match = /^[^\d-]{0,3}(-?[\d.,]+)\s*([kKmM])?\b/.exec(cell.replace(/\s/g, ''));
  if (!match?.[1]) return undefined;
  const value = Number(match[1].replace(/,/g, ''));
  if (!Number.isFinite(value)) return undefined;
  return value * (match[2]?.toLowerCase() === 'k' ? 1e3 : match[2]?.toLowerCase() === 'm' ? 1e6 : 1);
}

function renderTable(table: MarkdownTable): string {
  return [
    `| ${table.header.join(' | ')} |`,
    `|${table.header.map(() => ' --- ').join('|')}|`,
    ...table.rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

/** Applies a follow-up to the table in an earlier answer's text (the values as they were shown). */
export function applyFollowUp(intent: FollowUpIntent, earlierText: string): string {
  const table = tableOf(earlierText);
  if (intent.kind === 'repeat') return `Here is that earlier answer again:\n\n${earlierText}`;
  if (!table)
    return `That earlier answer has no table to ${intent.kind === 'sort' ? 'sort' : 'take rows from'}:\n\n${earlierText}`;
  if (intent.kind === 'top') {
    return `The first ${Math.min(intent.count, table.rows.length)} rows of that earlier answer:\n\n${renderTable({ ...table, rows: table.rows.slice(0, intent.count) })}`;
  }
  const wanted = wordsOf(intent.column).join(' ');
  const index = table.header.findIndex((name) => {
    const words = wordsOf(name).join(' ');
    return words === wanted || words.includes(wanted) || wanted.includes(words);
  });
  if (index < 0) {
    return `That earlier answer has no column like "${intent.column}"; its columns are ${table.header.map((name) => `**${name}**`).join(', ')}.`;
  }
  const numeric = table.rows.every((row) => row[index] === '' || numericValue(row[index] ?? '') !== undefined);
  const descending = intent.descending ?? numeric;
  const sorted = [...table.rows].sort((left, right) => {
    const a = left[index] ?? '';
    const b = right[index] ?? '';
    const order = numeric ? (numericValue(a) ?? 0) - (numericValue(b) ?? 0) : a.localeCompare(b);
    return descending ? -order : order;
  });
  const column = table.header[index];
  return `That earlier answer, sorted by **${column}**, ${descending ? (numeric ? 'highest' : 'Z to A') : numeric ? 'lowest' : 'A to Z'} first:\n\n${renderTable({ ...table, rows: sorted })}`;
}
