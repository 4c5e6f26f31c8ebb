/**
 * Something wrong with a document file, located so an editor can jump to it. `error`: the file
 * was not loaded (so a previously synchronized version of it is removed: fail closed); `warning`:
 * it was loaded, but needs fixing (nobody can read it yet, or nobody is cleared for it).
 */
export interface DocumentProblem {
  /** The file (or folder) at fault, relative to the folder's root as the caller named it. */
  file: string;
  /** 1-based line; 0 when the problem has no place in the file (unreadable, a missing folder). */
  line: number;
  severity: 'error' | 'warning';
  message: string;
}

/** `docs/leave.md:3 error: invalid front matter: …` */
export function formatDocumentProblem(problem: DocumentProblem): string {
  const place = problem.line > 0 ? `${problem.file}:${problem.line}` : problem.file;
  return `${place} ${problem.severity}: ${problem.message}`;
}
