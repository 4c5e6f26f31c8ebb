import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { DocumentProblem } from './document-problem.ts';
import { parseDocumentFile } from './front-matter.ts';
import type { DocumentInput } from './types.ts';

/** Extensions read as documents (lower-cased); `.txt` is plain text, the others Markdown. */
export const DOCUMENT_EXTENSIONS: ReadonlySet<string> = new Set(['.md', '.markdown', '.txt']);

/** The label of a document whose front matter gives none: nobody is cleared for it (fail closed). */
export const UNCLASSIFIED_DOCUMENT_LABEL = 'unclassified';

/** The longest document id the `get_document` tool accepts. */
export const MAX_DOCUMENT_ID_LENGTH = 200;

/** Files larger than this are not loaded (a problem says so): 2 MiB of text is not a document. */
export const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;

export interface DocumentFolderOptions {
  /** How problems name the folder (`documents`, `docs/handbook`...); `dir` as given by default. */
  name?: string;
  /** Stamped on every document loaded (`folder:<path>`, see `syncDocumentFolders`); none by default. */
  origin?: string;
}

/** What a folder holds: its documents (ordered by id), the problems found, and each document's file. */
export interface LoadedDocumentFolder {
  documents: DocumentInput[];
  problems: DocumentProblem[];
  /** Document id → its file, named as problems name files. */
  files: Map<string, string>;
}

/**
 * Reads a folder and its sub-folders for Markdown (`.md`, `.markdown`) and plain text (`.txt`)
 * documents with YAML front matter (`title`, `label`/`labels`, `readers`). A file that cannot be
 * read, has invalid front matter or more than one label is left out with an `error` problem
 * naming its file and line; the other files still load. A document without `readers` is loaded
 * with readers `[]` (nobody can read it) and one without a label as `unclassified` (nobody is
 * cleared for it), each with a `warning`. Hidden files and folders (`.git`...) are skipped, and
 * so are links to folders (no cycles); links to files are read.
 */
export async function loadDocumentFolder(
  dir: string,
  options: DocumentFolderOptions = {},
): Promise<LoadedDocumentFolder> {
  const name = options.name ?? dir;
  const result: LoadedDocumentFolder = { documents: [], problems: [], files: new Map() };
  const info = await stat(dir).catch((error: unknown) => error as NodeJS.ErrnoException);
  if (info instanceof Error) {
    const message = info.code === 'ENOENT' ? 'no such folder' : `cannot read the folder: ${info.message}`;
    result.problems.push({ file: name, line: 0, severity: 'error', message });
    return result;
  }
  if (!info.isDirectory()) {
    result.problems.push({ file: name, line: 0, severity: 'error', message: 'not a folder' });
    return result;
  }
  const files = await listDocumentFiles(dir, '', name, result.problems);
  const byId = new Map<string, DocumentInput>();
  for (const relativePath of files) {
    const file = join(name, relativePath);
    const loaded = await loadDocumentFile(join(dir, relativePath), relativePath, file);
    result.problems.push(...loaded.problems);
    if (!loaded.document) continue;
    const taken = result.files.get(loaded.document.id);
    if (taken !== undefined) {
      result.problems.push({
        file,
        line: 0,
        severity: 'error',
        message: `makes the same document id \`${loaded.document.id}\` as ${taken}: rename one of them`,
      });
      continue;
    }
    const document = options.origin === undefined ? loaded.document : { ...loaded.document, origin: options.origin };
    byId.set(document.id, document);
    result.files.set(document.id, file);
  }
  result.documents = [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
  return result;
}

/** Relative paths (with `/`) of the document files under `dir`, sorted; unreadable sub-folders become problems. */
async function listDocumentFiles(
  root: string,
  prefix: string,
  name: string,
  problems: DocumentProblem[],
): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(join(root, prefix), { withFileTypes: true });
  } catch (error) {
    problems.push({
      file: join(name, prefix),
      line: 0,
      severity: 'error',
      message: `cannot read: ${messageOf(error)}`,
    });
    return [];
  }
  entries.sort((a, b) => compareIds(a.name, b.name));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const relativePath = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    let kind: 'file' | 'dir' | 'other' = entry.isFile() ? 'file' : entry.isDirectory() ? 'dir' : 'other';
    if (entry.isSymbolicLink()) {
      // A link to a file is read; a link to a folder is not followed (it could loop).
      const target = await stat(join(root, relativePath)).catch(() => undefined);
      kind = target?.isFile() ? 'file' : 'other';
    }
    if (kind === 'dir') files.push(...(await listDocumentFiles(root, relativePath, name, problems)));
    else if (kind === 'file' && DOCUMENT_EXTENSIONS.has(extname(entry.name).toLowerCase())) files.push(relativePath);
  }
  return files;
}

/**
 * One document file: `path` to read it, `relativePath` (with `/`) inside its folder for the id,
 * and `file` to name it in problems.
 */
export async function loadDocumentFile(
  path: string,
  relativePath: string,
  file: string,
): Promise<{ document?: DocumentInput; problems: DocumentProblem[] }> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.size > MAX_DOCUMENT_BYTES) {
      const size = `${(info.size / 1024 / 1024).toFixed(1)} MiB`;
      return { problems: [{ file, line: 0, severity: 'error', message: `too large (${size}; at most 2 MiB)` }] };
    }
    bytes = await readFile(path);
  } catch (error) {
    return { problems: [{ file, line: 0, severity: 'error', message: `cannot read: ${messageOf(error)}` }] };
  }
  return documentFromText(new TextDecoder().decode(bytes), relativePath, file);
}

/** A document from the text of its file (see `loadDocumentFolder`); pure, for tests and other sources. */
export function documentFromText(
  text: string,
  relativePath: string,
  file: string,
): { document?: DocumentInput; problems: DocumentProblem[] } {
  const id = documentIdForPath(relativePath);
  if (id === undefined) {
    return {
      problems: [
        {
          file,
          line: 0,
          severity: 'error',
          message: `its path makes no usable document id (letters or digits, at most ${MAX_DOCUMENT_ID_LENGTH} characters): rename it`,
        },
      ],
    };
  }
  const parsed = parseDocumentFile(text, file);
  if (!parsed.ok) return { problems: parsed.problems };
  const { frontMatter, body } = parsed;
  const problems: DocumentProblem[] = [];
  const markdown = extname(relativePath).toLowerCase() !== '.txt';
  const title =
    frontMatter.title ?? (markdown ? firstHeading(body) : undefined) ?? basename(relativePath, extname(relativePath));
  if (frontMatter.label === undefined) {
    problems.push({
      file,
      line: 1,
      severity: 'warning',
      message: `no label: it is \`${UNCLASSIFIED_DOCUMENT_LABEL}\` and nobody is cleared for it until you add \`labels\``,
    });
  }
  const readers = frontMatter.readers ?? [];
  if (readers.length === 0) {
    problems.push({
      file,
      line: 1,
      severity: 'warning',
      message: 'no readers: nobody can read it until you add `readers` (groups, `user:<id>` or `everyone`)',
    });
  }
  return {
    document: { id, title, body, label: frontMatter.label ?? UNCLASSIFIED_DOCUMENT_LABEL, readers },
    problems,
  };
}

/**
 * The document id of a file: its path inside the folder without the extension, each part
 * lower-cased with accents dropped and runs of anything but `a-z 0-9 . _ -` made one `-`
 * (`Policies/Congés payés.md` → `policies/conges-payes`). Stable while the file keeps its path;
 * undefined when a part is left empty or the id is longer than the tools accept.
 */
export function documentIdForPath(relativePath: string): string | undefined {
  const withoutExtension = relativePath.slice(0, relativePath.length - extname(relativePath).length);
  const parts = withoutExtension.split(/[\\/]+/).filter((part) => part !== '');
  const slugs = parts.map((part) =>
    part
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^[-.]+|[-.]+$/g, ''),
  );
  if (slugs.length === 0 || slugs.some((slug) => slug === '')) return undefined;
  const id = slugs.join('/');
  return id.length <= MAX_DOCUMENT_ID_LENGTH ? id : undefined;
}

/** The text of the first ATX heading (`# Title`) outside fenced code, if any. */
export function firstHeading(markdown: string): string | undefined {
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker) {
      if (fence === undefined) fence = marker[0];
      else if (marker[0] === fence) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const heading = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line)?.[1]?.trim();
    if (heading) return heading;
  }
  return undefined;
}

/** Code-unit order: ids are ASCII, so this is the byte order the stores list them in. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
