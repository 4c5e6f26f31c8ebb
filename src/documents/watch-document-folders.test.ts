import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TestStore } from '../../test/support/test-store.ts';
import { openTestStore } from '../../test/support/test-store.ts';
import type { DocumentSyncReport } from './sync-document-folders.ts';
import type { DocumentStore } from './types.ts';
import { watchDocumentFolders } from './watch-document-folders.ts';

const doc = (title: string) => `---\ntitle: ${title}\nlabels: [public]\nreaders: [everyone]\n---\n\n${title} text.\n`;

describe('watchDocumentFolders', () => {
  let workspace: string;
  let opened: TestStore<'sqlite'>;
  let store: DocumentStore;
  let stop: (() => Promise<void>) | undefined;
  let reports: DocumentSyncReport[];
  let errors: Error[];

  beforeEach(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'behalf-watch-'));
    await mkdir(join(workspace, 'docs'));
    opened = await openTestStore({ kind: 'sqlite' });
    store = opened.store.documents;
    reports = [];
    errors = [];
  });
  afterEach(async () => {
    await stop?.();
    stop = undefined;
    await opened.close();
    await rm(workspace, { recursive: true, force: true });
  });

  const start = (folders: Parameters<typeof watchDocumentFolders>[1], initialSync = false) => {
    stop = watchDocumentFolders(store, folders, {
      workspaceDir: workspace,
      debounceMs: 50,
      initialSync,
      onSync: (report) => reports.push(report),
      onError: (error) => errors.push(error),
    });
  };

  it('picks up a new file, a change, a file in a new sub-folder and a deletion', async () => {
    start([{ path: 'docs', watch: true }]);
    await writeFile(join(workspace, 'docs/a.md'), doc('A'));
    await vi.waitFor(async () => expect(await store.get('a')).toMatchObject({ title: 'A', origin: 'folder:docs' }), {
      timeout: 5000,
    });
    await writeFile(join(workspace, 'docs/a.md'), doc('A again'));
    await vi.waitFor(async () => expect(await store.get('a')).toMatchObject({ title: 'A again', version: 2 }), {
      timeout: 5000,
    });
    await mkdir(join(workspace, 'docs/new/deeper'), { recursive: true });
    await writeFile(join(workspace, 'docs/new/deeper/b.md'), doc('B'));
    await vi.waitFor(async () => expect(await store.get('new/deeper/b')).toBeDefined(), { timeout: 5000 });
    await rm(join(workspace, 'docs/a.md'));
    await vi.waitFor(async () => expect(await store.get('a')).toBeUndefined(), { timeout: 5000 });
    expect(errors).toEqual([]);
    expect(reports.length).toBeGreaterThan(0);
  });

  it('settles a burst of changes into few synchronizations', async () => {
    start(['docs']);
    for (let index = 0; index < 20; index++) await writeFile(join(workspace, `docs/d${index}.md`), doc(`D${index}`));
    await vi.waitFor(async () => expect((await store.listByOrigin('folder:')).length).toBe(20), { timeout: 5000 });
    expect(reports.length).toBeLessThan(10);
  });

  it('synchronizes at once with initialSync, and keeps the documents of unwatched folders', async () => {
    await mkdir(join(workspace, 'fixed'));
    await writeFile(join(workspace, 'fixed/f.md'), doc('F'));
    await writeFile(join(workspace, 'docs/a.md'), doc('A'));
    start([{ path: 'docs' }, { path: 'fixed', watch: false }], true);
    await vi.waitFor(() => expect(reports).toHaveLength(1), { timeout: 5000 });
    expect(reports[0]).toMatchObject({ added: ['a', 'f'] });
    await writeFile(join(workspace, 'docs/b.md'), doc('B'));
    await vi.waitFor(async () => expect(await store.get('b')).toBeDefined(), { timeout: 5000 });
    expect(await store.get('f')).toBeDefined();
  });

  it('reports a folder it cannot watch and a failing synchronization, never throwing', async () => {
    start(['missing', 'docs']);
    expect(errors.map((error) => error.message)).toEqual([expect.stringMatching(/^cannot watch missing\/: /)]);
    await opened.close();
    await writeFile(join(workspace, 'docs/a.md'), doc('A'));
    await vi.waitFor(() => expect(errors).toHaveLength(2), { timeout: 5000 });
    opened = await openTestStore({ kind: 'sqlite' });
  });

  it('stop ends the watch', async () => {
    start(['docs']);
    await writeFile(join(workspace, 'docs/a.md'), doc('A'));
    await vi.waitFor(() => expect(reports).toHaveLength(1), { timeout: 5000 });
    await stop?.();
    stop = undefined;
    await writeFile(join(workspace, 'docs/b.md'), doc('B'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await store.get('b')).toBeUndefined();
    expect(reports).toHaveLength(1);
  });
});
