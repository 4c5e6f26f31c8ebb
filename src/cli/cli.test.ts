import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_WORKSPACE_NAME } from '../../test/support/example-workspace.ts';
import { EXIT } from './exit-codes.ts';
import { main } from './main.ts';
import type { CommandOutput } from './output.ts';

function capture(): CommandOutput & { lines: string[]; errors: string[]; progressLines: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  const progressLines: string[] = [];
  return {
    lines,
    errors,
    progressLines,
    out: (line) => lines.push(line),
    progress: (line) => progressLines.push(line),
    error: (line) => errors.push(line),
  };
}

describe('behalf CLI', () => {
  let data: string;

  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'behalf-cli-'));
    const output = capture();
    expect(await main(['seed', '--data', data], output)).toBe(EXIT.ok);
    expect(output.lines.join('\n')).toContain(`Seeded ${EXAMPLE_WORKSPACE_NAME}: 8 users, 6 documents, 1 threads`);
  }, 120_000);

  afterAll(async () => {
    await rm(data, { recursive: true, force: true });
  });

  it('seed is idempotent', async () => {
    const output = capture();
    expect(await main(['seed', '--data', data], output)).toBe(EXIT.ok);
    expect(output.lines).toEqual([`${EXAMPLE_WORKSPACE_NAME} is already seeded; nothing changed.`]);
  });

  it('policy check exits 0 on allow and 1 on deny, naming the policies', async () => {
    const allow = capture();
    expect(
      await main(
        [
          'policy',
          'check',
          '--user',
          'alice',
          '--action',
          'readLabel',
          '--resource',
          'label:hr-confidential',
          '--data',
          data,
        ],
        allow,
      ),
    ).toBe(EXIT.ok);
    expect(allow.lines.join('\n')).toMatch(/ALLOW[\s\S]*label-hr-confidential-readers/);
    const deny = capture();
    expect(
      await main(
        [
          'policy',
          'check',
          '--user',
          'carol',
          '--action',
          'readLabel',
          '--resource',
          'Label::"hr-confidential"',
          '--data',
          data,
        ],
        deny,
      ),
    ).toBe(EXIT.negative);
    expect(deny.lines[0]).toMatch(/^DENY/);
  });

  it('policy check refuses an unknown action or resource as a usage error', async () => {
    const output = capture();
    expect(
      await main(
        ['policy', 'check', '--user', 'bob', '--action', 'fly', '--resource', 'tool:sql', '--data', data],
        output,
      ),
    ).toBe(EXIT.usage);
    expect(output.errors[0]).toMatch(/--action must be one of/);
    const wrongType = capture();
    expect(
      await main(
        [
          'policy',
          'check',
          '--user',
          'bob',
          '--action',
          'useTool',
          '--resource',
          'label:hr-confidential',
          '--data',
          data,
        ],
        wrongType,
      ),
    ).toBe(EXIT.usage);
    expect(wrongType.errors[0]).toMatch(/--resource: useTool applies to a Tool/);
  });

  it('audit verify passes, prints an anchor, and fails with exit 1 once a record is edited', async () => {
    const ok = capture();
    expect(await main(['audit', 'verify', '--data', data], ok)).toBe(EXIT.ok);
    const anchor = ok.lines.find((line) => line.startsWith('Anchor: '))?.slice('Anchor: '.length);
    expect(anchor).toMatch(/^\d+:[0-9a-f]{64}$/);
    expect(await main(['audit', 'verify', '--data', data, '--anchor', anchor as string], capture())).toBe(EXIT.ok);

    const db = new Database(join(data, 'behalf.db'));
    db.prepare("UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 1").run();
    db.close();
    const broken = capture();
    expect(await main(['audit', 'verify', '--data', data, '--json'], broken)).toBe(EXIT.negative);
    expect(JSON.parse(broken.lines.at(-1) as string)).toMatchObject({ ok: false, brokenAt: 1 });
  });

  it('audit export writes JSON lines and OpenTelemetry spans', async () => {
    const jsonl = capture();
    expect(await main(['audit', 'export', '--data', data], jsonl)).toBe(EXIT.ok);
    expect(JSON.parse(jsonl.lines[0] as string)).toMatchObject({ seq: 1, action: 'workspace.seed' });
    const file = join(data, 'spans.jsonl');
    expect(await main(['audit', 'export', '--format', 'otel', '--output', file, '--data', data], capture())).toBe(
      EXIT.ok,
    );
    const span = JSON.parse((await readFile(file, 'utf8')).split('\n')[0] as string);
    expect(span).toMatchObject({ name: 'workspace.seed', kind: 'SPAN_KIND_INTERNAL' });
  });

  it('keys rotate starts a new signing key while the old one still verifies', async () => {
    const before = capture();
    expect(await main(['keys', 'list', '--json', '--data', data], before)).toBe(EXIT.ok);
    const oldKids = JSON.parse(before.lines[0] as string).keys.map((key: { kid: string }) => key.kid);
    const rotated = capture();
    expect(await main(['keys', 'rotate', '--data', data], rotated)).toBe(EXIT.ok);
    const newKid = /Signing with key (\S+);/.exec(rotated.lines[0] as string)?.[1];
    const after = capture();
    expect(await main(['keys', 'list', '--json', '--data', data], after)).toBe(EXIT.ok);
    const kids = JSON.parse(after.lines[0] as string).keys.map((key: { kid: string }) => key.kid);
    expect(kids).toEqual(expect.arrayContaining([...oldKids, newKid]));
    expect(oldKids).not.toContain(newKid);
  });

  it('--help exits 0; an unknown command or bad flag is a usage error', async () => {
    expect(await main(['--help'], capture())).toBe(EXIT.ok);
    expect(await main(['frobnicate'], capture())).toBe(EXIT.usage);
    expect(await main(['audit', 'export', '--format', 'xml', '--data', data], capture())).toBe(EXIT.usage);
    expect(await main(['serve', '--port', '99999'], capture())).toBe(EXIT.usage);
  });

  it('an unknown benchmark is a usage error', async () => {
    const output = capture();
    expect(await main(['bench', 'nope'], output)).toBe(EXIT.usage);
    expect(output.errors[0]).toMatch(/available: authz/);
  });
});
