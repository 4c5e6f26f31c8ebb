import { headlineFor } from './headline.ts';
import { MAX_TABLE_ROWS, markdownTable } from './markdown-table.ts';
import { describeMemoryResult } from './memory-requests.ts';
import { mentions, oneLine, salientKeywords } from './request-text.ts';
import { isRecord, type ToolOutcome } from './tool-outcome.ts';

type Success = Extract<ToolOutcome, { kind: 'ok' }>;

const EXCERPT_LENGTH = 600;
const MAX_GENERIC_LENGTH = 1500;

/**
 * Prose for a successful result, by the shape of its content: SQL rows as a table, search hits
 * as a list, a document as its title and a quoted excerpt, anything else as capped JSON.
 */
export function describeContent(request: string, toolName: string, outcome: Success): string {
  const content = outcome.content;
  const memory = describeMemoryResult(toolName, outcome);
  if (memory !== undefined) return memory;
  if (isRecord(content) && Array.isArray(content.rows)) return describeRows(request, content, outcome.truncated);
  if (isRecord(content) && Array.isArray(content.hits)) return describeHits(content.hits);
  // Before documents: a ticket has a `body` too.
  if (toolName === 'create_ticket' && isRecord(content)) return describeTicket(content);
  if (isRecord(content) && typeof content.body === 'string') return describeDocument(request, content);
  if (typeof content === 'string')
    return `The \`${toolName}\` tool returned:\n\n${quote(oneLine(content, MAX_GENERIC_LENGTH))}`;
  const json = JSON.stringify(content, null, 2) ?? 'nothing';
  const shown = json.length > MAX_GENERIC_LENGTH ? `${json.slice(0, MAX_GENERIC_LENGTH)}\n…` : json;
  return `The \`${toolName}\` tool returned:\n\n\`\`\`json\n${shown}\n\`\`\``;
}

function describeRows(request: string, content: Record<string, unknown>, envelopeTruncated: boolean): string {
  const rows = (content.rows as unknown[]).filter(isRecord);
  const total = typeof content.rowCount === 'number' ? Math.max(content.rowCount, rows.length) : rows.length;
  const limits = describeRowSecurity(content.rowSecurity);
  if (rows.length === 0)
    return ['The query returned no rows (none that you are allowed to see).', limits].join(' ').trim();
  const declared = Array.isArray(content.columns)
    ? content.columns.filter((c): c is string => typeof c === 'string')
    : [];
  const columns = declared.length > 0 ? declared : Object.keys(rows[0] ?? {});
  const notes: string[] = [];
  if (rows.length > MAX_TABLE_ROWS) notes.push(`Showing the first ${MAX_TABLE_ROWS} of ${total} rows.`);
  if (content.truncated === true || envelopeTruncated) {
    notes.push('The result was truncated by the data source, so there may be more rows than shown.');
  }
  const complete = !(content.truncated === true || envelopeTruncated);
  const headline = headlineFor(request, columns, rows, complete);
  const sentence = headline ?? `The query returned ${total} ${total === 1 ? 'row' : 'rows'}:`;
  return [sentence, markdownTable(columns, rows), ...notes, ...(limits ? [limits] : [])].join('\n\n');
}

/**
 * The data source's own row-level security rules on the tables read, in its words and by policy
 * name. Whether they removed any row for this requester is not said, because it cannot be known
 * honestly: the source reports the rules that could narrow a result, never what they hid (a count
 * of hidden rows would itself be a disclosure), so the answer says the rules apply, not that rows
 * were withheld.
 */
function describeRowSecurity(value: unknown): string {
  if (!Array.isArray(value)) return '';
  const rules = value
    .filter(isRecord)
    .filter((rule) => typeof rule.table === 'string' && typeof rule.policy === 'string')
    .slice(0, 8)
    .map((rule) => {
      const words = typeof rule.rule === 'string' && rule.rule ? `: ${oneLine(rule.rule, 200)}` : '';
      return `\`${oneLine(String(rule.table), 60)}\` (policy \`${oneLine(String(rule.policy), 60)}\`${words})`;
    });
  if (rules.length === 0) return '';
  return `The data source's row-level security applies to ${rules.join('; ')}. You see only the rows it allows you.`;
}

function describeHits(hits: unknown[]): string {
  const documents = hits.filter(isRecord);
  if (documents.length === 0) return 'No documents matched (none that you are allowed to read).';
  const lines = documents.map((hit) => {
    const title = typeof hit.title === 'string' ? hit.title : 'Untitled';
    const details = [hit.id, hit.label].filter((value) => typeof value === 'string').map((value) => `\`${value}\``);
    const snippet = typeof hit.snippet === 'string' && hit.snippet ? `: “${oneLine(hit.snippet, 240)}”` : '';
    return `- **${oneLine(title, 120)}**${details.length > 0 ? ` (${details.join(', ')})` : ''}${snippet}`;
  });
  return [`I found ${documents.length} ${documents.length === 1 ? 'document' : 'documents'}:`, ...lines].join('\n');
}

function describeDocument(request: string, document: Record<string, unknown>): string {
  const title = typeof document.title === 'string' ? document.title : 'Untitled document';
  const details = [document.id, document.label].filter((value) => typeof value === 'string').map((v) => `\`${v}\``);
  const body = String(document.body).replace(/\s+/g, ' ').trim();
  const summarize = mentions(request, ['summarize', 'summarise', 'summary', 'tldr', 'gist']);
  const heading = `**${oneLine(title, 120)}**${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
  // A directive (`/tool get_document {...}`) names no topic: show the document itself.
  const topic = summarize || request.trim().startsWith('/') ? [] : topicWords(request, title);
  if (topic.length > 0) {
    const passage = passageAbout(body, topic);
    const about = topic.map((word) => `“${word}”`).join(', ');
    if (passage) return `${heading} on ${about}:\n\n${quote(passage)}`;
    return `${heading} does not mention ${about}. It begins:\n\n${quote(firstSentences(body, 2))}\n\n(excerpt)`;
  }
  // An extractive summary: the first sentences, which is all an offline model can honestly offer.
  const excerpt = summarize ? firstSentences(body, 3) : oneLine(body, EXCERPT_LENGTH);
  return `${heading}\n\n${quote(excerpt)}${excerpt.length < body.length ? '\n\n(excerpt)' : ''}`;
}

// Words that name the document or ask about it, rather than the topic asked about.
const NOT_TOPIC = new Set(
  (
    'handbook policy policies document doc docs deck board faq notes memo guide wiki say says said mention ' +
    'mentions cover covers rule rules according our employee company organisation organization tell explain regarding'
  ).split(' '),
);

/** What a request asks a document about: "what does the handbook say about travel" → travel. */
function topicWords(request: string, title: string): string[] {
  const titleWords = new Set(salientKeywords(title, 20));
  return salientKeywords(request, 8).filter(
    (word) => !NOT_TOPIC.has(word) && !titleWords.has(word) && !/^doc-/.test(word),
  );
}

/** The sentences of `body` that mention any topic word (or a form of it: travel, travelling). */
function passageAbout(body: string, topic: readonly string[]): string | undefined {
  const stems = topic
    .map((word) => word.replace(/(?:ing|ed|es|s)$/, '').slice(0, 6))
    .filter((stem) => stem.length >= 3);
  const sentences = body.split(/(?<=[.!?])\s+/);
  const matching = sentences.filter((sentence) =>
    (sentence.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).some((word) => stems.some((stem) => word.startsWith(stem))),
  );
  return matching.length > 0 ? oneLine(matching.slice(0, 4).join(' '), EXCERPT_LENGTH) : undefined;
}

/** The created ticket, led by its id: the one thing the requester needs to find it again. */
function describeTicket(ticket: Record<string, unknown>): string {
  const id =
    typeof ticket.id === 'number'
      ? ` **#${ticket.id}**`
      : typeof ticket.id === 'string' && ticket.id
        ? ` **${oneLine(ticket.id, 40)}**`
        : '';
  const title = typeof ticket.title === 'string' ? `: “${oneLine(ticket.title, 120)}”` : '';
  const severity = typeof ticket.severity === 'string' ? ` (severity ${oneLine(ticket.severity, 20)})` : '';
  return `I filed ticket${id}${title}${severity}.`;
}

function firstSentences(text: string, count: number): string {
  // A sentence ends at punctuation followed by a space, so `ap@example.com` stays whole.
  const sentences = text.split(/(?<=[.!?])\s+/);
  return oneLine(sentences.slice(0, count).join(' '), EXCERPT_LENGTH);
}

/** A Markdown blockquote: content from a tool is shown as quoted data. */
function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}
