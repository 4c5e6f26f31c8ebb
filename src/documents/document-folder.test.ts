import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentFromText, documentIdForPath, firstHeading, loadDocumentFolder } from './document-folder.ts';
import { formatDocumentProblem } from './document-problem.ts';
import { parseDocumentFile, readerPrincipal } from './front-matter.ts';

const file = (frontMatter: string, body = 'Body text.') => `---\n${frontMatter}\n---\n\n${body}\n`;

describe('front matter', () => {
  it('reads title, a label and readers, in the store ACL form', () => {
    const parsed = documentFromText(
      file('title: Leave policy\nlabels: [hr-confidential]\nreaders: [hr, user:dana, group:finance, everyone]'),
      'policies/leave.md',
      'docs/policies/leave.md',
    );
    expect(parsed).toEqual({
      document: {
        id: 'policies/leave',
        title: 'Leave policy',
        body: 'Body text.',
        label: 'hr-confidential',
        readers: ['group:hr', 'user:dana', 'group:finance', 'everyone'],
      },
      problems: [],
    });
  });

  it('accepts `label: x`, a single `labels: x`, `readers: x`, and drops repeated readers', () => {
    const single = documentFromText(file('label: public\nreaders: everyone'), 'a.md', 'a.md');
    expect(single.document).toMatchObject({ label: 'public', readers: ['everyone'] });
    const scalar = documentFromText(file('labels: sales-pipeline:emea\nreaders: [sales, group:sales]'), 'a.md', 'a.md');
    expect(scalar.document).toMatchObject({ label: 'sales-pipeline:emea', readers: ['group:sales'] });
    const repeated = documentFromText(file('labels: [public, public]\nreaders: [everyone]'), 'a.md', 'a.md');
    expect(repeated).toMatchObject({ document: { label: 'public' }, problems: [] });
  });

  it('keeps the body byte for byte after the front matter (leading blank lines and trailing space dropped)', () => {
    const body = '# Heading\n\nLine one,  with  spaces.\n\n    indented code\n- item';
    expect(parseDocumentFile(`---\ntitle: x\n---\n\n\n${body}\n\n  \n`, 'f.md')).toEqual({
      ok: true,
      frontMatter: { title: 'x' },
      body,
    });
    expect(parseDocumentFile('\uFEFF---\r\ntitle: x\r\n---\r\nA\r\nB\r\n', 'f.md')).toMatchObject({
      ok: true,
      body: 'A\nB',
    });
    // `...` also closes the front matter; a file without front matter is all body.
    expect(parseDocumentFile('---\ntitle: x\n...\nA', 'f.md')).toMatchObject({ ok: true, body: 'A' });
    expect(parseDocumentFile('Just text.\n--- not front matter\n', 'f.md')).toEqual({
      ok: true,
      frontMatter: {},
      body: 'Just text.\n--- not front matter',
    });
    expect(parseDocumentFile('---\n---\nA', 'f.md')).toEqual({ ok: true, frontMatter: {}, body: 'A' });
  });

  it('leaves keys it does not read alone', () => {
    const parsed = documentFromText(
      file('title: T\nauthor: ana\ndate: 2026-01-01\nlabels: [public]\nreaders: [everyone]'),
      'a.md',
      'a.md',
    );
    expect(parsed.problems).toEqual([]);
  });

  it('defaults the title to the first heading, else the file name (plain text has no headings)', () => {
    const md = documentFromText(
      file('labels: [public]\nreaders: [everyone]', '```\n# not this\n```\nIntro\n\n## Real title ##\n# Later'),
      'notes/On-call.md',
      'x',
    );
    expect(md.document?.title).toBe('Real title');
    const plain = documentFromText(
      file('labels: [public]\nreaders: [everyone]', '# Not a heading'),
      'notes/On-call.txt',
      'x',
    );
    expect(plain.document?.title).toBe('On-call');
    const none = documentFromText(file('labels: [public]\nreaders: [everyone]', 'No heading here'), 'Runbook.md', 'x');
    expect(none.document?.title).toBe('Runbook');
    expect(firstHeading('#NoSpace\n   # Indented three #')).toBe('Indented three');
    expect(firstHeading('~~~\n# a\n~~~\n#\n')).toBeUndefined();
  });
});

describe('problems name the file and line', () => {
  const problemsOf = (text: string) => documentFromText(text, 'bad.md', 'docs/bad.md');

  it.each([
    ['a YAML syntax error', '---\ntitle: ok\nreaders: [hr\n---\nBody', 3, /invalid front matter/],
    ['a repeated key', '---\ntitle: a\ntitle: b\n---\n', 3, /invalid front matter: .*unique/i],
    ['front matter never closed', '---\ntitle: x\nBody', 1, /never closed/],
    ['a list as front matter', '---\n- a\n- b\n---\n', 2, /keys and values/],
    ['a title that is not text', '---\nlabels: [public]\ntitle: [a, b]\n---\n', 3, /`title` must be text/],
    ['labels that are a mapping', '---\ntitle: t\n\nlabels: { a: b }\n---\n', 4, /`labels` must be a label/],
    ['an invalid label', '---\nlabels: [Hr Confidential]\n---\n', 2, /not a label: "Hr Confidential"/],
    ['both label and labels', '---\nlabel: public\nlabels: [public]\n---\n', 3, /either `label` or `labels`/],
    [
      'more than one label',
      '---\ntitle: Mixed\nreaders: [hr]\nlabels:\n  - public\n  - hr-confidential\n---\n',
      5,
      /2 labels \(public, hr-confidential\): a document carries one label today/,
    ],
    [
      'an invalid reader',
      '---\nlabels: [public]\nreaders: [hr, "user:", "bad group!"]\n---\n',
      3,
      /not a reader: "user:", "bad group!"/,
    ],
    ['readers that are not a list of names', '---\nreaders: { hr: true }\n---\n', 2, /`readers` must be a list/],
  ])('%s', (_what, text, line, message) => {
    const { document, problems } = problemsOf(text);
    expect(document).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'docs/bad.md', line, severity: 'error' });
    expect(problems[0]?.message).toMatch(message);
  });

  it('loads a document without readers as visible to nobody, with a warning', () => {
    const { document, problems } = problemsOf('---\ntitle: Draft\nlabels: [public]\n---\nText');
    expect(document).toMatchObject({ id: 'bad', readers: [], label: 'public' });
    expect(problems).toEqual([
      {
        file: 'docs/bad.md',
        line: 1,
        severity: 'warning',
        message: 'no readers: nobody can read it until you add `readers` (groups, `user:<id>` or `everyone`)',
      },
    ]);
    expect(problemsOf('---\nlabels: [public]\nreaders: []\n---\n').document?.readers).toEqual([]);
  });

  it('loads a document without a label as unclassified, with a warning', () => {
    const { document, problems } = problemsOf('Plain words, no front matter.');
    expect(document).toMatchObject({ label: 'unclassified', readers: [], body: 'Plain words, no front matter.' });
    expect(problems.map((problem) => problem.message)).toEqual([
      expect.stringMatching(/^no label: it is `unclassified`/),
      expect.stringMatching(/^no readers/),
    ]);
  });

  it('formats a problem as file:line severity: message', () => {
    expect(formatDocumentProblem({ file: 'docs/a.md', line: 3, severity: 'error', message: 'boom' })).toBe(
      'docs/a.md:3 error: boom',
    );
    expect(formatDocumentProblem({ file: 'docs', line: 0, severity: 'error', message: 'no such folder' })).toBe(
      'docs error: no such folder',
    );
  });
});

describe('document ids', () => {
  it.each([
    ['doc-handbook.md', 'doc-handbook'],
    ['policies/leave.md', 'policies/leave'],
    ['Policies/Congés payés.MD', 'policies/conges-payes'],
    ['notes/Q3 — plan (draft).txt', 'notes/q3-plan-draft'],
    ['v1.2-release.notes.md', 'v1.2-release.notes'],
    ['a\\b.md', 'a/b'],
    ['--x--.md', 'x'],
  ])('%s → %s', (path, id) => {
    expect(documentIdForPath(path)).toBe(id);
  });

  it.each(['!!!.md', 'ok/¿?.md', `${'a'.repeat(201)}.md`, '---.md', 'a//../b.md'])('%s makes no id', (path) => {
    expect(documentIdForPath(path)).toBeUndefined();
  });

  it('makes ids the get_document tool accepts', () => {
    const id = documentIdForPath(`${'deep/'.repeat(30)}file.md`);
    expect(id && id.length <= 200).toBe(true);
  });

  it('maps readers to ACL principals and refuses anything else', () => {
    expect(['everyone', 'hr', 'group:hr', 'user:ana.ruiz@x', 'sales:emea'].map(readerPrincipal)).toEqual([
      'everyone',
      'group:hr',
      'group:hr',
      'user:ana.ruiz@x',
      'group:sales:emea',
    ]);
    for (const bad of ['', 'user:', 'group:', 'two words', '-x', 'user:a b'])
      expect(readerPrincipal(bad)).toBeUndefined();
  });
});

describe('loadDocumentFolder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'behalf-docs-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const put = async (path: string, text: string) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  };
  const ok = (title: string) => file(`title: ${title}\nlabels: [public]\nreaders: [everyone]`);

  it('reads Markdown and text files recursively, ordered by id; invalid files do not stop the others', async () => {
    await put('b.md', ok('B'));
    await put('a.txt', ok('A'));
    await put('sub/deeper/c.markdown', ok('C'));
    await put('broken.md', '---\ntitle: [unclosed\n---\n');
    await put('image.png', 'not a document');
    await put('.hidden.md', ok('Hidden'));
    await put('.git/config.md', ok('Git'));
    await put('README', ok('No extension'));
    const loaded = await loadDocumentFolder(dir, { name: 'docs', origin: 'folder:docs' });
    expect(loaded.documents.map((document) => [document.id, document.title, document.origin])).toEqual([
      ['a', 'A', 'folder:docs'],
      ['b', 'B', 'folder:docs'],
      ['sub/deeper/c', 'C', 'folder:docs'],
    ]);
    expect(loaded.problems).toEqual([
      expect.objectContaining({ file: join('docs', 'broken.md'), line: 2, severity: 'error' }),
    ]);
    expect(loaded.files.get('sub/deeper/c')).toBe(join('docs', 'sub/deeper/c.markdown'));
  });

  it('reports two files that make the same id, keeping the first', async () => {
    await put('Leave.md', ok('First'));
    await put('leave.txt', ok('Second'));
    const loaded = await loadDocumentFolder(dir, { name: 'docs' });
    expect(loaded.documents.map((document) => document.title)).toEqual(['First']);
    expect(loaded.documents[0]).not.toHaveProperty('origin');
    expect(loaded.problems).toEqual([
      {
        file: join('docs', 'leave.txt'),
        line: 0,
        severity: 'error',
        message: `makes the same document id \`leave\` as ${join('docs', 'Leave.md')}: rename one of them`,
      },
    ]);
  });

  it('reads links to files but does not follow links to folders', async () => {
    await put('real/a.md', ok('A'));
    await symlink(join(dir, 'real/a.md'), join(dir, 'link.md'));
    await symlink(dir, join(dir, 'loop'));
    const loaded = await loadDocumentFolder(dir, { name: 'docs' });
    expect(loaded.documents.map((document) => document.id)).toEqual(['link', 'real/a']);
    expect(loaded.problems).toEqual([]);
  });

  it('reports a missing folder or a file in its place', async () => {
    expect(await loadDocumentFolder(join(dir, 'nope'), { name: 'nope' })).toEqual({
      documents: [],
      problems: [{ file: 'nope', line: 0, severity: 'error', message: 'no such folder' }],
      files: new Map(),
    });
    await put('file.md', ok('F'));
    expect((await loadDocumentFolder(join(dir, 'file.md'))).problems[0]?.message).toBe('not a folder');
  });

  it('refuses a file too large to be a document', async () => {
    await put('huge.txt', `${ok('Huge')}${'x'.repeat(2 * 1024 * 1024)}`);
    const loaded = await loadDocumentFolder(dir, { name: 'docs' });
    expect(loaded.documents).toEqual([]);
    expect(loaded.problems[0]?.message).toMatch(/^too large \(2\.0 MiB; at most 2 MiB\)$/);
  });
});
