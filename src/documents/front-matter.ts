import { isMap, isNode, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { DocumentProblem } from './document-problem.ts';

/** What the front matter of one file says, checked; undefined fields were not given. */
export interface FrontMatter {
  title?: string;
  label?: string;
  /** ACL principals in the store's form: `everyone`, `group:<name>`, `user:<id>`; undefined when absent. */
  readers?: string[];
}

/** A file split into its front matter and body, or the problems that keep it from loading. */
export type ParsedFile =
  | { ok: true; frontMatter: FrontMatter; body: string }
  | { ok: false; problems: DocumentProblem[] };

/** A label a document may carry: the catalogue's form without parameters (`sales-pipeline:emea`). */
const LABEL = /^[a-z0-9][a-z0-9._-]*(:[a-z0-9._-]+)*$/;
/** The workspace's person ids and group names (`behalf.yaml`). */
const USER_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;
const GROUP = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$/;

/**
 * Splits a file into YAML front matter (a `---` line first, up to the next `---` or `...` line)
 * and its body, and checks the keys Behalf reads: `title`, `label`/`labels`, `readers`. Other keys
 * are left alone (authors, dates...). Every problem names `file` and a 1-based line of it.
 * A byte-order mark and CRLF line ends are accepted; the body's leading blank lines and trailing
 * white space are dropped.
 */
export function parseDocumentFile(text: string, file: string): ParsedFile {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  if (!/^---[ \t]*$/.test(lines[0] ?? '')) return { ok: true, frontMatter: {}, body: bodyOf(lines) };
  const end = lines.findIndex((line, index) => index > 0 && /^(---|\.\.\.)[ \t]*$/.test(line));
  if (end < 0) {
    return {
      ok: false,
      problems: [problem(file, 1, 'the front matter opened on line 1 is never closed: end it with a `---` line')],
    };
  }
  const checked = checkFrontMatter(lines.slice(1, end).join('\n'), file);
  if (checked.problems.length > 0) return { ok: false, problems: checked.problems };
  return { ok: true, frontMatter: checked.frontMatter, body: bodyOf(lines.slice(end + 1)) };
}

function bodyOf(lines: string[]): string {
  const first = lines.findIndex((line) => line.trim() !== '');
  return first < 0 ? '' : lines.slice(first).join('\n').trimEnd();
}

/** The front matter starts on line 2 of the file: YAML line n is file line n + 1. */
const FIRST_LINE = 2;

function checkFrontMatter(yaml: string, file: string): { frontMatter: FrontMatter; problems: DocumentProblem[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(yaml, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number) => lineCounter.linePos(offset).line + FIRST_LINE - 1;
  if (document.errors.length > 0) {
    return {
      frontMatter: {},
      problems: document.errors.map((error) =>
        problem(file, lineOf(error.pos[0]), `invalid front matter: ${error.message.split('\n')[0] ?? ''}`),
      ),
    };
  }
  const contents = document.contents;
  if (contents === null || (isNode(contents) && !isMap(contents) && contents.toJSON() === null)) {
    return { frontMatter: {}, problems: [] };
  }
  if (!isMap(contents)) {
    return {
      frontMatter: {},
      problems: [problem(file, lineOfNode(contents, lineOf), 'the front matter must be keys and values (`title: …`)')],
    };
  }
  const problems: DocumentProblem[] = [];
  const frontMatter: FrontMatter = {};
  const node = (key: string) => document.get(key, true) as Node | undefined;
  const at = (key: string) => lineOfNode(node(key), lineOf);

  const title = document.get('title');
  if (title !== undefined && title !== null) {
    if ((typeof title === 'string' && title.trim() !== '') || typeof title === 'number') {
      frontMatter.title = String(title).trim();
    } else problems.push(problem(file, at('title'), '`title` must be text'));
  }

  if (document.has('label') && document.has('labels')) {
    problems.push(problem(file, at('labels'), 'give either `label` or `labels`, not both'));
  } else {
    const key = document.has('label') ? 'label' : 'labels';
    const labels = stringList(document.get(key, true) as Node | undefined);
    if (labels === undefined) {
      problems.push(problem(file, at(key), `\`${key}\` must be a label or a list of labels`));
    } else {
      const distinct = [...new Set(labels.map((label) => label.trim()))];
      const invalid = distinct.filter((label) => !LABEL.test(label));
      if (invalid.length > 0) {
        problems.push(
          problem(
            file,
            at(key),
            `not a label: ${invalid.map((label) => JSON.stringify(label)).join(', ')} (lower-case letters, digits, . _ - and : between parts, e.g. \`sales-pipeline:emea\`)`,
          ),
        );
      } else if (distinct.length > 1) {
        problems.push(
          problem(
            file,
            at(key),
            `${distinct.length} labels (${distinct.join(', ')}): a document carries one label today; keep the one that covers all of it, or split the file`,
          ),
        );
      } else if (distinct.length === 1) frontMatter.label = distinct[0];
    }
  }

  const readersNode = node('readers');
  if (document.has('readers')) {
    const readers = stringList(readersNode);
    if (readers === undefined) {
      problems.push(problem(file, at('readers'), '`readers` must be a list of groups, `user:<id>` or `everyone`'));
    } else {
      const principals: string[] = [];
      const invalid: string[] = [];
      for (const reader of readers) {
        const principal = readerPrincipal(reader.trim());
        if (principal === undefined) invalid.push(reader);
        else if (!principals.includes(principal)) principals.push(principal);
      }
      if (invalid.length > 0) {
        problems.push(
          problem(
            file,
            at('readers'),
            `not a reader: ${invalid.map((reader) => JSON.stringify(reader)).join(', ')} (a group name, \`user:<id>\`, \`group:<name>\` or \`everyone\`)`,
          ),
        );
      } else frontMatter.readers = principals;
    }
  }
  return { frontMatter, problems };
}

/** A scalar or a flat list of scalars, as strings; null/absent as []; undefined when anything else. */
function stringList(node: Node | undefined): string[] | undefined {
  if (node === undefined) return [];
  const items = isSeq(node) ? node.items : [node];
  const out: string[] = [];
  for (const item of items) {
    if (!isNode(item)) return undefined;
    const value = item.toJSON() as unknown;
    if (value === null && !isSeq(node)) return [];
    if (typeof value !== 'string' && typeof value !== 'number') return undefined;
    out.push(String(value));
  }
  return out;
}

/**
 * A reader as the store's ACL principal: `everyone`; `user:<id>`; `group:<name>` or a bare group
 * name → `group:<name>`. Undefined for anything else (never admits anyone by accident).
 */
export function readerPrincipal(reader: string): string | undefined {
  if (reader === 'everyone') return 'everyone';
  if (reader.startsWith('user:')) return USER_ID.test(reader.slice(5)) ? reader : undefined;
  const group = reader.startsWith('group:') ? reader.slice(6) : reader;
  return GROUP.test(group) ? `group:${group}` : undefined;
}

function lineOfNode(node: unknown, lineOf: (offset: number) => number): number {
  return isNode(node) && node.range ? lineOf(node.range[0]) : 1;
}

function problem(file: string, line: number, message: string): DocumentProblem {
  return { file, line, severity: 'error', message };
}
