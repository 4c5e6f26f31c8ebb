import { isAbsolute, relative, resolve, sep } from 'node:path';
import { loadDocumentFolder } from './document-folder.ts';
import type { DocumentProblem } from './document-problem.ts';
import type { Document, DocumentInput, DocumentStore } from './types.ts';

/** The origin of every document synchronized from a folder: `folder:<path>`. */
export const FOLDER_ORIGIN_PREFIX = 'folder:';

/** A folder of documents, as `behalf.yaml` lists them (`documents: [{ path, watch }]`). */
export interface DocumentFolderRef {
  /** Relative to the workspace directory (or absolute). */
  path: string;
  /** Re-synchronize on change while serving (`watchDocumentFolders`); true when absent. */
  watch?: boolean;
}

export interface DocumentSyncOptions {
  /** The workspace directory: folder paths are relative to it, and so are the files problems name. */
  workspaceDir: string;
  /** One line per folder read and per document added, updated or removed. */
  onProgress?: (line: string) => void;
}

/** What a synchronization did, by document id (each list ordered by id), and what is wrong. */
export interface DocumentSyncReport {
  added: string[];
  updated: string[];
  removed: string[];
  unchanged: string[];
  problems: DocumentProblem[];
}

/** How a folder is named in origins and problems: its path from the workspace, with `/`, no trailing `/`. */
export function folderName(path: string, workspaceDir: string): string {
  const absolute = resolve(workspaceDir, path);
  const inside = relative(resolve(workspaceDir), absolute);
  const name = inside === '' ? '.' : isAbsolute(inside) ? absolute : inside;
  return name.split(sep).join('/');
}

/** The origin stamped on the documents of one folder: `folder:documents`. */
export function folderOrigin(path: string, workspaceDir: string): string {
  return `${FOLDER_ORIGIN_PREFIX}${folderName(path, workspaceDir)}`;
}

/** Every document of the workspace's folders, stamped with their origins, and what is wrong with them. */
export interface LoadedDocumentFolders {
  /** Ordered by id; each id once. */
  documents: DocumentInput[];
  /** Document id → its file, relative to the workspace directory. */
  files: Map<string, string>;
  problems: DocumentProblem[];
}

/**
 * Reads every folder (`loadDocumentFolder`) without touching a store: what a sync would write,
 * and every problem it would report — also what `behalf doctor` needs to list documents nobody
 * can read. Across folders, a second file making an id already taken is an `error` (the first
 * one wins) and a file reached again through a nested folder listed too is a `warning`.
 */
export async function loadDocumentFolders(
  folders: ReadonlyArray<DocumentFolderRef | string>,
  options: DocumentSyncOptions,
): Promise<LoadedDocumentFolders> {
  const progress = options.onProgress ?? (() => {});
  const problems: DocumentProblem[] = [];
  const wanted = new Map<string, DocumentInput>();
  const files = new Map<string, string>();
  const loadedFiles = new Map<string, string>();
  for (const folder of folders) {
    const path = typeof folder === 'string' ? folder : folder.path;
    const name = folderName(path, options.workspaceDir);
    progress(`Reading documents in ${name}/…`);
    const loaded = await loadDocumentFolder(resolve(options.workspaceDir, path), {
      name,
      origin: folderOrigin(path, options.workspaceDir),
    });
    problems.push(...loaded.problems);
    for (const document of loaded.documents) {
      const file = loaded.files.get(document.id) ?? name;
      const absoluteFile = resolve(options.workspaceDir, file);
      const loadedAs = loadedFiles.get(absoluteFile);
      if (loadedAs !== undefined) {
        // Nested folders both listed: the file is already loaded through the first one.
        problems.push({
          file,
          line: 0,
          severity: 'warning',
          message: `already loaded as \`${loadedAs}\` through another listed folder; list only one of the two folders`,
        });
        continue;
      }
      const taken = files.get(document.id);
      if (taken !== undefined) {
        problems.push({
          file,
          line: 0,
          severity: 'error',
          message: `makes the same document id \`${document.id}\` as ${taken}: rename one of them`,
        });
        continue;
      }
      loadedFiles.set(absoluteFile, document.id);
      wanted.set(document.id, document);
      files.set(document.id, file);
    }
  }
  const documents = [...wanted.values()].sort((a, b) => compare(a.id, b.id));
  return { documents, files, problems };
}

/**
 * Brings the store's folder documents up to the workspace's folders (SPEC §12, issue 9 point 5):
 * each file becomes a document stamped with its folder's origin (`folder:<path>`); a document
 * whose file changed is updated, an unchanged one is not written at all (its version stays, so
 * memoized decisions stay valid), and a document that came from any folder and whose file is
 * gone — deleted, renamed, moved out of every listed folder, or no longer loadable because of an
 * `error` problem — is removed from the store and its search index. Documents written by hand
 * or by a seed (no origin) are never removed; one a folder file names by id is taken over.
 * `folders` must be every folder of the workspace: documents of a folder left out are removed.
 * Problems never stop the other files; storage errors are thrown.
 */
export async function syncDocumentFolders(
  store: DocumentStore,
  folders: ReadonlyArray<DocumentFolderRef | string>,
  options: DocumentSyncOptions,
): Promise<DocumentSyncReport> {
  const progress = options.onProgress ?? (() => {});
  const { documents, files, problems } = await loadDocumentFolders(folders, options);
  const report: DocumentSyncReport = { added: [], updated: [], removed: [], unchanged: [], problems };
  const wanted = new Map(documents.map((document) => [document.id, document]));
  const existing = new Map((await store.listByOrigin(FOLDER_ORIGIN_PREFIX)).map((document) => [document.id, document]));
  for (const document of documents) {
    const { id } = document;
    const file = files.get(id) ?? '';
    const before = existing.get(id) ?? (await store.get(id));
    if (before && sameDocument(before, document)) {
      report.unchanged.push(id);
      continue;
    }
    await store.upsert(document);
    if (before) {
      report.updated.push(id);
      progress(
        before.origin === undefined
          ? `updated ${id} (${file}; it was written by hand, the folder now keeps it)`
          : `updated ${id} (${file})`,
      );
    } else {
      report.added.push(id);
      progress(`added ${id} (${file})`);
    }
  }
  for (const id of [...existing.keys()].sort(compare)) {
    if (wanted.has(id)) continue;
    if (await store.remove(id)) {
      report.removed.push(id);
      progress(`removed ${id} (its file is gone or has an error)`);
    }
  }
  return report;
}

function sameDocument(stored: Document, next: DocumentInput): boolean {
  return (
    stored.title === next.title &&
    stored.body === next.body &&
    stored.label === next.label &&
    stored.origin === next.origin &&
    stored.readers.length === next.readers.length &&
    stored.readers.every((reader, index) => reader === next.readers[index])
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
