import { type FSWatcher, watch } from 'node:fs';
import { resolve } from 'node:path';
import {
  type DocumentFolderRef,
  type DocumentSyncOptions,
  type DocumentSyncReport,
  folderName,
  syncDocumentFolders,
} from './sync-document-folders.ts';
import type { DocumentStore } from './types.ts';

export interface DocumentWatchOptions extends DocumentSyncOptions {
  /** Quiet time after the last change before re-synchronizing (200 ms). */
  debounceMs?: number;
  /** Synchronize once as soon as the watches are set, so nothing changed before them is missed (false). */
  initialSync?: boolean;
  /** After every synchronization, with what it did and the problems it found. */
  onSync?: (report: DocumentSyncReport) => void;
  /**
   * A folder that cannot be watched, a watch that failed, or a synchronization that threw
   * (by default a line to `onProgress`).
   */
  onError?: (error: Error) => void;
}

/**
 * Watches the workspace's folders that have `watch` (true when absent) and re-synchronizes every
 * folder (`syncDocumentFolders`: the others too, so their documents are kept) after changes settle
 * for `debounceMs`, at most one synchronization at a time and at most `10 × debounceMs` after the
 * first of a stream of changes. Never throws and never crashes the process: every failure goes to
 * `onError`, and a callback that throws is ignored. Returns `stop`, which closes the watches and
 * resolves once a synchronization in progress has finished (the store may be closed after it).
 */
export function watchDocumentFolders(
  store: DocumentStore,
  folders: ReadonlyArray<DocumentFolderRef | string>,
  options: DocumentWatchOptions,
): () => Promise<void> {
  const debounceMs = options.debounceMs ?? 200;
  const maxWaitMs = debounceMs * 10;
  const onError = options.onError ?? ((error: Error) => options.onProgress?.(`documents: ${error.message}`));
  const report = (error: unknown) => safely(() => onError(error instanceof Error ? error : new Error(String(error))));
  const watchers: FSWatcher[] = [];
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let pendingSince: number | undefined;
  let running: Promise<void> | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    // A change during a synchronization runs another one when it ends.
    if (stopped || running || pendingSince === undefined) return;
    pendingSince = undefined;
    running = syncDocumentFolders(store, folders, options)
      .then((result) => safely(() => options.onSync?.(result)), report)
      .finally(() => {
        running = undefined;
        if (pendingSince !== undefined) flush();
      });
  };
  const changed = () => {
    if (stopped) return;
    const now = Date.now();
    pendingSince ??= now;
    clearTimeout(timer);
    timer = setTimeout(flush, Math.max(0, Math.min(debounceMs, pendingSince + maxWaitMs - now)));
  };

  for (const folder of folders) {
    if (typeof folder !== 'string' && folder.watch === false) continue;
    const path = typeof folder === 'string' ? folder : folder.path;
    const name = folderName(path, options.workspaceDir);
    try {
      const watcher = watch(resolve(options.workspaceDir, path), { recursive: true }, changed);
      watcher.on('error', (error) => report(new Error(`stopped watching ${name}/: ${error.message}`)));
      watchers.push(watcher);
    } catch (error) {
      report(new Error(`cannot watch ${name}/: ${error instanceof Error ? error.message : String(error)}`));
    }
  }
  if (options.initialSync) {
    pendingSince = Date.now();
    flush();
  }

  return async () => {
    stopped = true;
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
    await running;
  };
}

function safely(callback: () => void): void {
  try {
    callback();
  } catch {
    // A listener's failure must not stop the watch (nor crash the server).
  }
}
