import { MAX_TABLE_ROWS, markdownTable } from './markdown-table.ts';
import { mentions, oneLine } from './request-text.ts';
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
  if (isRecord(content) && Array.isArray(content.rows)) return describeRows(content, outcome.truncated);
  if (isRecord(content) && Array.isArray(content.hits)) return describeHits(content.hits);
  if (isRecord(content) && typeof content.body === 'string') return describeDocument(request, content);
  if (toolName === 'create_ticket' && isRecord(content)) return describeTicket(content);
  if (typeof content === 'string')
    return `The \`${toolName}\` tool returned:\n\n${quote(oneLine(content, MAX_GENERIC_LENGTH))}`;
  const json = JSON.stringify(content, null, 2) ?? 'nothing';
  const shown = json.length > MAX_GENERIC_LENGTH ? `${json.slice(0, MAX_GENERIC_LENGTH)}\n…` : json;
  return `The \`${toolName}\` tool returned:\n\n\`\`\`json\n${shown}\n\`\`\``;
}

function describeRows(content: Record<string, unknown>, envelopeTruncated: boolean): string {
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
  const sentence = `The query returned ${total} ${total === 1 ? 'row' : 'rows'}:`;
  return [sentence, markdownTable(columns, rows), ...notes, ...(limits ? [limits] : [])].join('\n\n');
}

/**
 * Why rows may be missing: the data source's own row-level security rules on the tables read,
 * in its words and by policy name. Other rows are withheld from you by them, not by the agent.
 */
function describeRowSecurity(value: unknown): string {
  if (!Array.isArray(value)) return '';
  const rules = value
    .filter(isRecord)
    .filter((rule) => typeof rule.table === 'string' && typeof rule.policy === 'string')
    .slice(0, 8)
    .map((rule) => {
      const words = typeof rule.rule === 'string' && rule.rule ? `: ${oneLine(rule.rule, 200)}` : '';
      return `\`${oneLine(String(rule.table), 60)}\` by policy \`${oneLine(String(rule.policy), 60)}\`${words}`;
    });
  if (rules.length === 0) return '';
  return `Rows you are not allowed to see were withheld by the data source's row-level security — ${rules.join('; ')}.`;
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
  // An extractive summary: the first sentences, which is all an offline model can honestly offer.
  const excerpt = summarize ? firstSentences(body, 3) : oneLine(body, EXCERPT_LENGTH);
  const heading = `**${oneLine(title, 120)}**${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
  return `${heading}\n\n${quote(excerpt)}${excerpt.length < body.length ? '\n\n(excerpt)' : ''}`;
}

function describeTicket(ticket: Record<string, unknown>): string {
  const title = typeof ticket.title === 'string' ? ` **${oneLine(ticket.title, 120)}**` : '';
  const id = typeof ticket.id === 'string' || typeof ticket.id === 'number' ? ` (\`${ticket.id}\`)` : '';
  const severity = typeof ticket.severity === 'string' ? `, severity ${ticket.severity}` : '';
  return `I filed the ticket${title}${id}${severity}.`;
}

function firstSentences(text: string, count: number): string {
  // A sentence ends at punctuation followed by a space, so `ap@acme.example` stays whole.
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
