import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../../../test/support/test-store.ts';
import type { AuditEntry } from '../../audit/types.ts';
import type { CommandOutput } from '../output.ts';
import { type DocumentsTarget, documentsSyncCommand } from './documents.ts';

describe('behalf documents sync', () => {
  let workspace: string;
  let opened: TestStore<'sqlite'>;
  let audited: AuditEntry[];
  let lines: { out: string[]; progress: string[]; error: string[] };
  const output: CommandOutput = {
    out: (line) => lines.out.push(line),
    progress: (line) => lines.progress.push(line),
    error: (line) => lines.error.push(line),
  };
  // The store stays open across runs of the command (closing it is the deployment's business).
  const open = async (): Promise<DocumentsTarget> => ({
    documents: opened.store.documents,
    audit: async (entry) => void audited.push(entry),
    close: async () => {},
  });
  const run = (json = false) => documentsSyncCommand({ workspace, data: join(workspace, 'data'), json }, output, open);

  beforeEach(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'behalf-cli-docs-'));
    await writeFile(join(workspace, 'behalf.yaml'), 'name: Test\ndocuments:\n  - { path: docs/ }\n');
    await mkdir(join(workspace, 'docs'));
    opened = await openTestStore({ kind: 'sqlite' });
    audited = [];
    lines = { out: [], progress: [], error: [] };
  });
  afterEach(async () => {
    await opened.close();
    await rm(workspace, { recursive: true, force: true });
  });

  it('syncs the workspace folders, prints a summary and audits the change; exit 0', async () => {
    await writeFile(join(workspace, 'docs/a.md'), '---\ntitle: A\nlabels: [public]\nreaders: [everyone]\n---\nA.\n');
    expect(await run()).toBe(0);
    expect(lines.out).toEqual(['Documents: 1 added, 0 updated, 0 removed, 0 unchanged.']);
    expect(lines.progress).toEqual(['Reading documents in docs/…', `added a (${join('docs', 'a.md')})`]);
    expect(audited).toEqual([
      expect.objectContaining({ action: 'documents.sync', resource: 'documents', decision: 'allow', requester: null }),
    ]);
    expect(await opened.store.documents.get('a')).toMatchObject({ origin: 'folder:docs' });

    lines = { out: [], progress: [], error: [] };
    expect(await run()).toBe(0);
    expect(lines.out).toEqual(['Documents: 0 added, 0 updated, 0 removed, 1 unchanged.']);
    expect(audited).toHaveLength(1);
  });

  it('prints each problem with its file and line, from the working directory; exit 1', async () => {
    await writeFile(join(workspace, 'docs/draft.md'), '---\ntitle: Draft\nlabels: [public]\n---\nText.\n');
    await writeFile(join(workspace, 'docs/bad.md'), '---\nlabels: [a, b]\nreaders: [hr]\n---\n');
    expect(await run()).toBe(1);
    const shown = (file: string) => relative(process.cwd(), join(workspace, 'docs', file));
    expect(lines.out).toEqual([
      `${shown('bad.md')}:2 error: 2 labels (a, b): a document carries one label today; keep the one that covers all of it, or split the file`,
      `${shown('draft.md')}:1 warning: no readers: nobody can read it until you add \`readers\` (groups, \`user:<id>\` or \`everyone\`)`,
      'Documents: 1 added, 0 updated, 0 removed, 0 unchanged; 2 problems to fix.',
    ]);
  });

  it('prints the report as JSON', async () => {
    await writeFile(join(workspace, 'docs/a.md'), '---\ntitle: A\nlabels: [public]\nreaders: [everyone]\n---\nA.\n');
    expect(await run(true)).toBe(0);
    expect(JSON.parse(lines.out[0] as string)).toEqual({
      ok: true,
      added: ['a'],
      updated: [],
      removed: [],
      unchanged: [],
      problems: [],
    });
  });

  it('refuses an invalid workspace with its problems; exit 3, the store untouched', async () => {
    await writeFile(join(workspace, 'behalf.yaml'), 'name: Test\ndocuments:\n  - { folder: docs/ }\n');
    let openedStore = false;
    const code = await documentsSyncCommand({ workspace, data: join(workspace, 'data') }, output, async () => {
      openedStore = true;
      return open();
    });
    expect(code).toBe(3);
    expect(openedStore).toBe(false);
    expect(lines.error.join('\n')).toMatch(/behalf\.yaml:3:\d+ documents\[0\]/);
  });
});
