/** One thing wrong with a workspace, located so an editor can jump to it. */
export interface WorkspaceProblem {
  /** Path of the file at fault, as given (relative to the working directory or absolute). */
  file: string;
  /** 1-based; 0 when the problem has no place in the file (a missing file). */
  line: number;
  column: number;
  /** The key at fault, dotted (`sources[0].identity.role`), or empty for the whole file. */
  path: string;
  message: string;
}

/** `behalf.yaml:12:5 sources[0].identity.role: Invalid string` */
export function formatProblem(problem: WorkspaceProblem): string {
  const place = problem.line > 0 ? `${problem.file}:${problem.line}:${problem.column}` : problem.file;
  return `${place} ${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
}

/** A workspace that cannot be loaded: every problem found, not just the first. */
export class WorkspaceError extends Error {
  readonly problems: readonly WorkspaceProblem[];

  constructor(problems: readonly WorkspaceProblem[]) {
    const lines = problems.map(formatProblem);
    super(`the workspace is not valid:\n  ${lines.join('\n  ')}`);
    this.name = 'WorkspaceError';
    this.problems = problems;
  }
}

/** Dotted path of a zod/YAML key path: `sources[0].identity.role`. */
export function dottedPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}
