import { relative, resolve } from 'node:path';
import { openDeployment } from '../../app/open-deployment.ts';
import type { AuditEntry } from '../../audit/types.ts';
import { type DocumentProblem, formatDocumentProblem } from '../../documents/document-problem.ts';
import { type DocumentSyncReport, syncDocumentFolders } from '../../documents/sync-document-folders.ts';
import type { DocumentStore } from '../../documents/types.ts';
import { loadWorkspace } from '../../workspace/load-workspace.ts';
import { formatProblem, WorkspaceError } from '../../workspace/workspace-error.ts';
import { EXIT } from '../exit-codes.ts';
import type { CommandOutput } from '../output.ts';

/** Options of `behalf documents sync`. */
export interface DocumentsSyncOptions {
  /** The workspace directory holding `behalf.yaml` (or the file itself). */
  workspace: string;
  /** Data directory of the embedded deployment (`DATABASE_URL` selects PostgreSQL instead). */
  data: string;
  /** Print the report as one JSON object instead of lines. */
  json?: boolean;
}

/** Where the documents are synchronized to: the deployment's store (and its audit log). */
export interface DocumentsTarget {
  documents: DocumentStore;
  /** Records the synchronization in the audit log, when the target has one. */
  audit?: (entry: AuditEntry) => Promise<unknown>;
  close(): Promise<void>;
}

/** Opens the deployment's store the way the other commands do (without seeding anything). */
export async function openDeploymentDocuments(
  dataDir: string,
  onProgress: (line: string) => void,
): Promise<DocumentsTarget> {
  const deployment = await openDeployment({ dataDir, env: process.env, seed: false, onProgress });
  return {
    documents: deployment.store.documents,
    audit: (entry) => deployment.app.audit.append(entry),
    close: () => deployment.close(),
  };
}

/**
 * `behalf documents sync [--workspace DIR] [--data DIR] [--json]`: reads the workspace's
 * document folders (`documents:` in `behalf.yaml`) and brings the store and its search index up to
 * them — new files added, changed files updated, documents whose file is gone (or now has an
 * error) removed; unchanged files are not written. Prints each problem as `file:line severity:
 * message`, then a summary. Exit 0 when there was no problem, 1 when there was any (a document
 * nobody can read included), 3 when the workspace itself is invalid or the store cannot be opened.
 */
export async function documentsSyncCommand(
  options: DocumentsSyncOptions,
  output: CommandOutput,
  open: (dataDir: string, onProgress: (line: string) => void) => Promise<DocumentsTarget> = openDeploymentDocuments,
): Promise<number> {
  let workspace: Awaited<ReturnType<typeof loadWorkspace>>;
  try {
    workspace = await loadWorkspace(options.workspace);
  } catch (error) {
    if (!(error instanceof WorkspaceError)) throw error;
    for (const problem of error.problems) output.error(formatProblem(problem));
    return EXIT.failure;
  }
  const folders = workspace.config.documents;
  const target = await open(options.data, output.progress);
  try {
    if (folders.length === 0) output.progress(`${workspace.file} lists no document folders (\`documents:\`).`);
    const report = await syncDocumentFolders(target.documents, folders, {
      workspaceDir: workspace.dir,
      onProgress: output.progress,
    });
    const changed = report.added.length + report.updated.length + report.removed.length;
    if (changed > 0 && target.audit) {
      await target.audit({
        requester: null,
        agent: null,
        mode: 'direct',
        threadId: null,
        runId: null,
        action: 'documents.sync',
        resource: 'documents',
        decision: 'allow',
        policies: [],
        reason: summary(report),
      });
    }
    // Files are named from where the command runs, so an editor or terminal can open them.
    const shown = report.problems.map((problem) => shownFrom(problem, workspace.dir));
    if (options.json) output.out(JSON.stringify({ ok: shown.length === 0, ...report, problems: shown }));
    else {
      for (const problem of shown) output.out(formatDocumentProblem(problem));
      output.out(`${summary(report)}${shown.length > 0 ? `; ${plural(shown.length, 'problem')} to fix` : ''}.`);
    }
    return shown.length === 0 ? EXIT.ok : EXIT.negative;
  } finally {
    await target.close();
  }
}

function summary(report: DocumentSyncReport): string {
  return `Documents: ${report.added.length} added, ${report.updated.length} updated, ${report.removed.length} removed, ${report.unchanged.length} unchanged`;
}

function shownFrom(problem: DocumentProblem, workspaceDir: string): DocumentProblem {
  const absolute = resolve(workspaceDir, problem.file);
  return { ...problem, file: relative(process.cwd(), absolute) || absolute };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
