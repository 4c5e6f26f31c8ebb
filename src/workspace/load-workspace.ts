import { readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import { suggestKey } from './key-suggestion.ts';
import { type WorkspaceConfig, WorkspaceConfigSchema } from './workspace-config.ts';
import { dottedPath, WorkspaceError, type WorkspaceProblem } from './workspace-error.ts';
import { findReferenceProblems } from './workspace-references.ts';

/** The file that makes a directory a workspace. */
export const WORKSPACE_FILE = 'behalf.yaml';

/** A loaded, validated workspace. Paths inside `config` are relative to `dir`. */
export interface Workspace {
  /** Absolute directory of the workspace. */
  dir: string;
  /** Absolute path of its `behalf.yaml`. */
  file: string;
  config: WorkspaceConfig;
}

/**
 * Loads `behalf.yaml` from a workspace directory (or the file itself) and validates it against
 * the schema and its own references (a thread's owner is one of its people, a table's label is in
 * the catalogue...). Throws `WorkspaceError` listing every problem with file, line and key; what
 * lies outside the file (databases, folders) is `behalf doctor`'s to check.
 */
export async function loadWorkspace(dirOrFile: string): Promise<Workspace> {
  const target = resolve(dirOrFile);
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new WorkspaceError([wholeFile(dirOrFile, 'no such workspace directory or file')]);
  const file = info.isDirectory() ? join(target, WORKSPACE_FILE) : target;
  const dir = info.isDirectory() ? target : resolve(target, '..');
  const shownFile = relative(process.cwd(), file) || file;
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) {
    throw new WorkspaceError([
      wholeFile(shownFile, `no ${WORKSPACE_FILE} here; \`behalf init ${dirOrFile}\` creates a workspace`),
    ]);
  }
  return { dir, file, config: parseWorkspaceText(text, shownFile) };
}

/** Parses and validates the text of a `behalf.yaml`; `file` names it in problems. */
export function parseWorkspaceText(text: string, file: string): WorkspaceConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax = document.errors.map((error): WorkspaceProblem => {
    const position = lineCounter.linePos(error.pos[0]);
    return { file, line: position.line, column: position.col, path: '', message: error.message.split('\n')[0] ?? '' };
  });
  if (syntax.length > 0) throw new WorkspaceError(syntax);
  const locate = (path: readonly PropertyKey[], message: string): WorkspaceProblem => {
    const position = positionOf(document, lineCounter, path);
    return { file, ...position, path: dottedPath(path), message };
  };
  const parsed = WorkspaceConfigSchema.safeParse(document.toJS() ?? {});
  if (!parsed.success) {
    throw new WorkspaceError(parsed.error.issues.map((issue) => locate(issue.path, withSuggestion(issue.path, issue))));
  }
  const references = findReferenceProblems(parsed.data);
  if (references.length > 0) {
    throw new WorkspaceError(references.map((problem) => locate(problem.path, problem.message)));
  }
  return parsed.data;
}

/** Line and column of the deepest node on `path` that exists (a missing key points at its parent). */
function positionOf(
  document: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
): { line: number; column: number } {
  for (let length = path.length; length >= 0; length -= 1) {
    const node = length === 0 ? document.contents : document.getIn(path.slice(0, length) as unknown[], true);
    if (isNode(node) && node.range) {
      const position = lineCounter.linePos(node.range[0]);
      return { line: position.line, column: position.col };
    }
  }
  return { line: 1, column: 1 };
}

function wholeFile(file: string, message: string): WorkspaceProblem {
  return { file, line: 0, column: 0, path: '', message };
}

/** A schema issue's message, with the key an unrecognized one most likely meant. */
function withSuggestion(
  path: readonly PropertyKey[],
  issue: { code: string; message: string; keys?: readonly string[] },
): string {
  if (issue.code !== 'unrecognized_keys' || !issue.keys) return issue.message;
  const single = issue.keys.length === 1;
  const hints = issue.keys.flatMap((key) => {
    const meant = suggestKey(path, key);
    if (!meant) return [];
    return [single ? `"${meant}"` : `"${meant}" for "${key}"`];
  });
  return hints.length > 0 ? `${issue.message} (did you mean ${hints.join(', ')}?)` : issue.message;
}
