import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createExampleEntityResolver,
  createExampleTestEngine,
  EXAMPLE_USERS,
} from '../../test/support/example-workspace.ts';
import { postgresTestUrl, requirePostgres } from '../../test/support/postgres.ts';
import { openTestStore, type TestStore, type TestStoreKind } from '../../test/support/test-store.ts';
import { createCedarPolicyEngine } from '../policy/cedar-policy-engine.ts';
import { loadPolicyDirectory } from '../policy/policy-loader.ts';
import type { PolicyEngine } from '../policy/types.ts';
import { decideDocumentRead, readerPrincipalsOf } from '../tools/builtin/document-access.ts';
import { folderOrigin, loadDocumentFolders, syncDocumentFolders } from './sync-document-folders.ts';
import type { DocumentStore } from './types.ts';

const postgres = await requirePostgres('document folder sync on PostgreSQL (src/documents)');

const doc = (title: string, body = `The ${title} body.`, readers = '[everyone]', label = 'public') =>
  `---\ntitle: ${title}\nlabels: [${label}]\nreaders: ${readers}\n---\n\n${body}\n`;

describe.each<TestStoreKind>(['sqlite', 'postgres'])('syncDocumentFolders on %s', (kind) => {
  const skip = kind === 'postgres' && !postgres;
  let opened: TestStore | undefined;
  let workspace: string;
  let store: DocumentStore;
  const put = async (path: string, text: string) => {
    await mkdir(dirname(join(workspace, path)), { recursive: true });
    await writeFile(join(workspace, path), text);
  };
  const sync = (folders: string[] = ['docs/']) => syncDocumentFolders(store, folders, { workspaceDir: workspace });
  const ids = (documents: { id: string }[]) => documents.map((document) => document.id);

  beforeEach(async () => {
    if (skip) return;
    workspace = await mkdtemp(join(tmpdir(), 'behalf-sync-'));
    opened = await openTestStore({ kind, postgresUrl: postgresTestUrl() });
    store = opened.store.documents;
  });
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
    if (workspace) await rm(workspace, { recursive: true, force: true });
  });

  it.skipIf(skip)('adds, leaves unchanged, updates and removes, bumping versions only on change', async () => {
    await put('docs/handbook.md', doc('Handbook', 'Vacation is 25 days.'));
    await put('docs/policies/leave.md', doc('Leave', 'Parental leave is 20 weeks.', '[hr]', 'hr-confidential'));
    await store.upsert({
      id: 'by-hand',
      title: 'Seeded',
      body: 'Vacation by hand.',
      label: 'public',
      readers: ['everyone'],
    });

    expect(await sync()).toEqual({
      added: ['handbook', 'policies/leave'],
      updated: [],
      removed: [],
      unchanged: [],
      problems: [],
    });
    expect(await store.get('policies/leave')).toEqual({
      id: 'policies/leave',
      title: 'Leave',
      body: 'Parental leave is 20 weeks.',
      label: 'hr-confidential',
      readers: ['group:hr'],
      version: 1,
      origin: 'folder:docs',
    });
    expect(ids(await store.search('vacation', { readerPrincipals: ['everyone'], limit: 10 })).sort()).toEqual([
      'by-hand',
      'handbook',
    ]);

    // Idempotent: nothing written, no version bumped.
    expect(await sync()).toMatchObject({
      added: [],
      updated: [],
      removed: [],
      unchanged: ['handbook', 'policies/leave'],
    });
    expect((await store.get('handbook'))?.version).toBe(1);

    await put('docs/handbook.md', doc('Handbook', 'Vacation is 30 days now.'));
    expect(await sync()).toMatchObject({ added: [], updated: ['handbook'], unchanged: ['policies/leave'] });
    expect(await store.get('handbook')).toMatchObject({ body: 'Vacation is 30 days now.', version: 2 });

    // Narrowing the readers is a change too (a new version: old decisions stop applying).
    await put('docs/handbook.md', doc('Handbook', 'Vacation is 30 days now.', '[user:ana, hr]'));
    expect((await sync()).updated).toEqual(['handbook']);
    expect(await store.get('handbook')).toMatchObject({ readers: ['user:ana', 'group:hr'], version: 3 });

    await rm(join(workspace, 'docs/handbook.md'));
    expect(await sync()).toMatchObject({
      added: [],
      updated: [],
      removed: ['handbook'],
      unchanged: ['policies/leave'],
    });
    expect(await store.get('handbook')).toBeUndefined();
    expect(ids(await store.search('vacation', { readerPrincipals: null, limit: 10 }))).toEqual(['by-hand']);
    // What was written by hand is never removed.
    expect(await store.get('by-hand')).toMatchObject({ version: 1 });
    expect(await store.get('by-hand')).not.toHaveProperty('origin');

    // A file that comes back continues the versions of the removed document (I3).
    await put('docs/handbook.md', doc('Handbook'));
    expect((await sync()).added).toEqual(['handbook']);
    expect((await store.get('handbook'))?.version).toBe(4);
  });

  it.skipIf(skip)('a rename removes the old id and adds the new one', async () => {
    await put('docs/a.md', doc('A'));
    await sync();
    await rename(join(workspace, 'docs/a.md'), join(workspace, 'docs/b.md'));
    expect(await sync()).toMatchObject({ added: ['b'], removed: ['a'] });
  });

  it.skipIf(skip)('removes a document whose file now has an error (fail closed), and reports it', async () => {
    await put('docs/a.md', doc('A', 'Open.', '[everyone]'));
    await put('docs/b.md', doc('B'));
    await sync();
    // A typo while narrowing the readers must not leave the old, wider document readable.
    await put('docs/a.md', '---\ntitle: A\nlabels: [public]\nreaders: [hr\n---\nSecret.\n');
    const report = await sync();
    expect(report).toMatchObject({ removed: ['a'], unchanged: ['b'] });
    expect(report.problems).toEqual([
      expect.objectContaining({ file: join('docs', 'a.md'), line: 4, severity: 'error' }),
    ]);
    expect(await store.get('a')).toBeUndefined();
  });

  it.skipIf(skip)('stores a document without readers as readable by nobody, with a problem', async () => {
    await put('docs/draft.md', '---\ntitle: Draft\nlabels: [public]\n---\nUnfinished plans.\n');
    const report = await sync();
    expect(report.added).toEqual(['draft']);
    expect(report.problems).toEqual([
      {
        file: join('docs', 'draft.md'),
        line: 1,
        severity: 'warning',
        message: 'no readers: nobody can read it until you add `readers` (groups, `user:<id>` or `everyone`)',
      },
    ]);
    expect(await store.get('draft')).toMatchObject({ readers: [] });
    for (const user of EXAMPLE_USERS) {
      const principals = readerPrincipalsOf({
        id: user.id,
        groups: [...user.groups],
        mode: 'user',
        requester: user.id,
      });
      expect(await store.search('unfinished plans', { readerPrincipals: principals, limit: 10 })).toEqual([]);
    }
  });

  it.skipIf(skip)('owns every folder: several folders, duplicate ids, nested folders, a folder dropped', async () => {
    await put('docs/a.md', doc('A'));
    await put('docs/sub/c.md', doc('C'));
    await put('more/a.md', doc('Other A'));
    await put('more/b.txt', doc('B'));
    const report = await sync(['docs', 'more/', 'docs/sub']);
    expect(report.added).toEqual(['a', 'b', 'sub/c']);
    expect(report.problems).toEqual([
      expect.objectContaining({
        file: join('more', 'a.md'),
        severity: 'error',
        message: expect.stringMatching(/same document id `a` as docs/),
      }),
      expect.objectContaining({
        file: join('docs/sub', 'c.md'),
        severity: 'warning',
        message: expect.stringMatching(/already loaded as `sub\/c`/),
      }),
    ]);
    expect(await store.get('b')).toMatchObject({ origin: 'folder:more' });
    expect(await store.get('a')).toMatchObject({ title: 'A', origin: 'folder:docs' });

    // `more` is no longer listed: its documents go; a missing folder is a problem and holds nothing.
    const dropped = await sync(['docs', 'gone']);
    expect(dropped).toMatchObject({ removed: ['b'], unchanged: ['a', 'sub/c'] });
    expect(dropped.problems).toEqual([{ file: 'gone', line: 0, severity: 'error', message: 'no such folder' }]);
    expect(await sync([])).toMatchObject({ removed: ['a', 'sub/c'] });
    expect(await store.listByOrigin('folder:')).toEqual([]);
  });

  it.skipIf(skip)('takes over a document written by hand under the same id without a new version', async () => {
    await store.upsert({ id: 'a', title: 'A', body: 'The A body.', label: 'public', readers: ['everyone'] });
    await put('docs/a.md', doc('A'));
    expect(await sync()).toMatchObject({ updated: ['a'] });
    expect(await store.get('a')).toMatchObject({ version: 1, origin: 'folder:docs' });
    expect(await sync()).toMatchObject({ updated: [], unchanged: ['a'] });
  });

  it.skipIf(skip)('reports progress', async () => {
    await put('docs/a.md', doc('A'));
    const lines: string[] = [];
    await syncDocumentFolders(store, [{ path: 'docs', watch: false }], {
      workspaceDir: workspace,
      onProgress: (line) => lines.push(line),
    });
    expect(lines).toEqual(['Reading documents in docs/…', `added a (${join('docs', 'a.md')})`]);
  });
});

describe('loadDocumentFolders', () => {
  it('reads every folder without a store: what a sync would write and its problems (for doctor)', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'behalf-load-'));
    try {
      await mkdir(join(workspace, 'docs'));
      await writeFile(join(workspace, 'docs/a.md'), doc('A'));
      await writeFile(join(workspace, 'docs/draft.md'), '---\ntitle: Draft\nlabels: [public]\n---\nText.\n');
      const loaded = await loadDocumentFolders([{ path: 'docs/' }], { workspaceDir: workspace });
      expect(loaded.documents.map((document) => [document.id, document.origin, document.readers])).toEqual([
        ['a', 'folder:docs', ['everyone']],
        ['draft', 'folder:docs', []],
      ]);
      expect(loaded.files).toEqual(
        new Map([
          ['a', join('docs', 'a.md')],
          ['draft', join('docs', 'draft.md')],
        ]),
      );
      expect(loaded.problems).toEqual([
        expect.objectContaining({
          file: join('docs', 'draft.md'),
          severity: 'warning',
          message: expect.stringMatching(/^no readers/),
        }),
      ]);
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
  });
});

describe('folder origins', () => {
  it('names a folder by its path from the workspace, with / and no trailing /', () => {
    expect(folderOrigin('documents/', '/ws')).toBe('folder:documents');
    expect(folderOrigin('./a/b/../c', '/ws')).toBe('folder:a/c');
    expect(folderOrigin('/ws/docs', '/ws')).toBe('folder:docs');
    expect(folderOrigin('.', '/ws')).toBe('folder:.');
    expect(folderOrigin('../shared', '/ws')).toBe('folder:../shared');
  });
});

describe('a document without readers is visible to nobody (policy)', () => {
  let engine: PolicyEngine;
  let resolver: Awaited<ReturnType<typeof createExampleTestEngine>>['resolver'];
  beforeAll(async () => {
    ({ engine, resolver } = await createExampleTestEngine());
  });

  it.each(EXAMPLE_USERS.map((user) => [user.id, user] as const))('readDocument is denied to %s', async (_id, user) => {
    resolver.putDocument({ id: 'draft', label: 'public', readers: [] });
    resolver.putDocument({ id: 'published', label: 'public', readers: ['everyone'] });
    const principal = { id: user.id, groups: [...user.groups], mode: 'user' as const, requester: user.id };
    const acl = (id: string) =>
      engine.authorize({
        principal: { type: 'User', id: user.id },
        action: 'readDocument',
        resource: { type: 'Document', id },
        context: { viaAgent: true, mode: 'user' },
      });
    // The same document with readers is readable: the deny is the empty ACL's, not a failure's.
    expect(await acl('published')).toMatchObject({ effect: 'allow', policies: ['document-public'] });
    expect(
      (await decideDocumentRead(engine, principal, 'thr_q3_planning', { id: 'published', label: 'public' })).allowed,
    ).toBe(true);
    expect(await acl('draft')).toMatchObject({ effect: 'deny', policies: [] });
    expect(
      (await decideDocumentRead(engine, principal, 'thr_q3_planning', { id: 'draft', label: 'public' })).allowed,
    ).toBe(false);
  });
});

describe('a file removed and written again with narrower readers (I3 across removal)', () => {
  it('never answers from a decision memoized about the removed document', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'behalf-sync-i3-'));
    const opened = await openTestStore({ kind: 'sqlite' });
    try {
      const store = opened.store.documents;
      // Documents come from the store at decision time, as the deployment's resolver reads them.
      const resolver = {
        ...createExampleEntityResolver(),
        async document(id: string) {
          const document = await store.get(id);
          return document && { id, label: document.label, readers: document.readers, version: document.version };
        },
      };
      const engine = await createCedarPolicyEngine({ policies: await loadPolicyDirectory(), resolver });
      const bobReads = async () =>
        (
          await engine.authorize({
            principal: { type: 'User', id: 'bob' },
            action: 'readDocument',
            resource: { type: 'Document', id: 'plan' },
            context: { viaAgent: true, mode: 'user' },
          })
        ).effect;
      await mkdir(join(workspace, 'docs'));
      const sync = () => syncDocumentFolders(store, ['docs'], { workspaceDir: workspace });
      await writeFile(join(workspace, 'docs/plan.md'), doc('Plan', 'Open plan.', '[everyone]'));
      await sync();
      expect(await bobReads()).toBe('allow');
      await rm(join(workspace, 'docs/plan.md'));
      expect((await sync()).removed).toEqual(['plan']);
      expect(await bobReads()).toBe('deny');
      await writeFile(join(workspace, 'docs/plan.md'), doc('Plan', 'Open plan.', '[hr]'));
      expect((await sync()).added).toEqual(['plan']);
      expect(await bobReads()).toBe('deny');
    } finally {
      await opened.close();
      await rm(workspace, { recursive: true, force: true });
    }
  });
});
