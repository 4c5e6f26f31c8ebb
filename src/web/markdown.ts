/**
 * A tiny Markdown parser for the subset agent answers use (the offline model's tables, lists,
 * quotes and code): headings, paragraphs, bullet and numbered lists, pipe tables with `\|`
 * escapes, fenced code, blockquotes, and inline code, bold and italic. It returns a tree of
 * plain strings that React renders as text nodes, so nothing in an answer is ever parsed as HTML.
 */

/** Inline content: text, `code`, **strong** and *emphasis* (which may nest text only). */
export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] };

/** A block of an answer. */
export type Block =
  | { type: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; children: Inline[] }
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'list'; ordered: boolean; items: Inline[][] }
  | { type: 'table'; header: Inline[][]; rows: Inline[][][]; align: Array<'left' | 'right' | 'center' | null> }
  | { type: 'code'; language: string; text: string }
  | { type: 'quote'; children: Block[] };

const FENCE = /^\s*```\s*([\w+-]*)\s*$/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,9}[.)]\s+(.*)$/;
const QUOTE = /^\s*>\s?(.*)$/;
const TABLE_RULE = /^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/;

/** Parses Markdown text into blocks. Never throws; unknown syntax stays literal text. */
export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? '';
    if (line.trim() === '') {
      index++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      index++;
      while (index < lines.length && !FENCE.test(lines[index] ?? '')) body.push(lines[index++] ?? '');
      index++; // the closing fence, or past the end when it is missing
      blocks.push({ type: 'code', language: fence[1] ?? '', text: body.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = (heading[1] ?? '#').length as 1 | 2 | 3 | 4 | 5 | 6;
      blocks.push({ type: 'heading', level, children: parseInline(heading[2] ?? '') });
      index++;
      continue;
    }
    if (isTableStart(lines, index)) {
      const header = splitRow(line);
      const align = splitRow(lines[index + 1] ?? '').map(alignmentOf);
      index += 2;
      const rows: Inline[][][] = [];
      while (index < lines.length && (lines[index] ?? '').includes('|') && (lines[index] ?? '').trim() !== '') {
        const cells = splitRow(lines[index++] ?? '');
        rows.push(header.map((_, column) => parseInline(cells[column] ?? '')));
      }
      blocks.push({ type: 'table', header: header.map(parseInline), rows, align });
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (index < lines.length && QUOTE.test(lines[index] ?? ''))
        body.push(QUOTE.exec(lines[index++] ?? '')?.[1] ?? '');
      blocks.push({ type: 'quote', children: parseMarkdown(body.join('\n')) });
      continue;
    }
    const ordered = NUMBERED.test(line);
    if (ordered || BULLET.test(line)) {
      const pattern = ordered ? NUMBERED : BULLET;
      const items: Inline[][] = [];
      while (index < lines.length && pattern.test(lines[index] ?? '')) {
        items.push(parseInline(pattern.exec(lines[index++] ?? '')?.[1] ?? ''));
      }
      blocks.push({ type: 'list', ordered, items });
      continue;
    }
    const body: string[] = [];
    while (index < lines.length && startsParagraphLine(lines, index)) body.push((lines[index++] ?? '').trim());
    blocks.push({ type: 'paragraph', children: parseInline(body.join('\n')) });
  }
  return blocks;
}

function startsParagraphLine(lines: string[], index: number): boolean {
  const line = lines[index] ?? '';
  if (line.trim() === '') return false;
  if (FENCE.test(line) || HEADING.test(line) || QUOTE.test(line)) return false;
  if (BULLET.test(line) || NUMBERED.test(line) || isTableStart(lines, index)) return false;
  return true;
}

function isTableStart(lines: string[], index: number): boolean {
  const line = lines[index] ?? '';
  const rule = lines[index + 1] ?? '';
  return line.includes('|') && rule.includes('-') && TABLE_RULE.test(rule);
}

/** Cells of a table row; `\|` is a literal pipe and `\\` a literal backslash. */
export function splitRow(line: string): string[] {
  let text = line.trim();
  if (text.startsWith('|')) text = text.slice(1);
  const cells: string[] = [];
  let cell = '';
  for (let position = 0; position < text.length; position++) {
    const char = text[position];
    if (char === '\\' && (text[position + 1] === '|' || text[position + 1] === '\\')) {
      cell += text[++position];
    } else if (char === '|') {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += char;
    }
  }
  if (cell.trim() !== '') cells.push(cell.trim());
  return cells;
}

function alignmentOf(cell: string): 'left' | 'right' | 'center' | null {
  const left = cell.startsWith(':');
  const right = cell.endsWith(':');
  if (left && right) return 'center';
  if (right) return 'right';
  if (left) return 'left';
  return null;
}

/** Inline spans: `code` first (its content is literal), then **strong**, then *em* / _em_. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let plain = '';
  const flush = () => {
    if (plain) out.push({ type: 'text', text: plain });
    plain = '';
  };
  let position = 0;
  while (position < text.length) {
    const rest = text.slice(position);
    const code = /^(`+)([\s\S]*?[^`])\1(?!`)/.exec(rest);
    if (code) {
      flush();
      out.push({ type: 'code', text: (code[2] ?? '').trim() || (code[2] ?? '') });
      position += code[0].length;
      continue;
    }
    const strong = /^\*\*(?=\S)([\s\S]*?\S)\*\*/.exec(rest) ?? /^__(?=\S)([\s\S]*?\S)__/.exec(rest);
    if (strong) {
      flush();
      out.push({ type: 'strong', children: parseInline(strong[1] ?? '') });
      position += strong[0].length;
      continue;
    }
    const em = /^\*(?=[^\s*])([^*]*?[^\s*])\*/.exec(rest) ?? /^_(?=[^\s_])([^_]*?[^\s_])_(?![\w])/.exec(rest);
    if (em && (position === 0 || !/\w/.test(text[position - 1] ?? ''))) {
      flush();
      out.push({ type: 'em', children: parseInline(em[1] ?? '') });
      position += em[0].length;
      continue;
    }
    plain += text[position];
    position++;
  }
  flush();
  return out;
}
