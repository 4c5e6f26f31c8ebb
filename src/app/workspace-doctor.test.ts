import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorFinding } from '../workspace/doctor-finding.ts';
import { initWorkspace } from '../workspace/init-workspace.ts';
import { diagnoseWorkspace } from './workspace-doctor.ts';

/**
 * `behalf doctor` catches each misconfiguration SPEC §12 names, with a fix for each: one fresh
 * `behalf init` workspace per case, broken in one way.
 */
describe('behalf doctor', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function diagnose(edit: (dir: string) => Promise<void> = async () => {}): Promise<DoctorFinding[]> {
    const root = await mkdtemp(join(tmpdir(), 'behalf-doctor-'));
    dirs.push(root);
    const dir = join(root, 'ws');
    await initWorkspace(dir);
    await edit(dir);
    const { findings } = await diagnoseWorkspace(dir, { dataDir: join(root, 'data'), env: {} });
    for (const finding of findings) expect(finding.fix.length).toBeGreaterThan(10);
    return findings;
  }
  const replaceIn = async (file: string, from: string | RegExp, to: string) => {
    const text = await readFile(file, 'utf8');
    const next = text.replace(from, to);
    expect(next).not.toBe(text);
    await writeFile(file, next);
  };
  const yaml = (dir: string) => join(dir, 'behalf.yaml');
  const found = (findings: DoctorFinding[], area: string, pattern: RegExp) =>
    findings.some((finding) => finding.area === area && pattern.test(finding.message));

  it('finds nothing wrong in a fresh workspace', async () => {
    expect(await diagnose()).toEqual([]);
  }, 60_000);

  it('a schema error, with its line and key', async () => {
    const findings = await diagnose((dir) => replaceIn(yaml(dir), 'convention: postgrest', 'convention: magic'));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toMatch(/behalf\.yaml:\d+:\d+ sources\[0\]\.identity\.convention/);
    expect(findings[0]?.fix).toMatch(/line \d+/);
  });

  it('a reader or steward group nobody belongs to (a misspelling), with the groups it may have meant', async () => {
    const findings = await diagnose((dir) => replaceIn(yaml(dir), 'readers: [staff]', 'readers: [staf]'));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'warning', area: 'labels' });
    expect(findings[0]?.message).toMatch(/label "internal" names reader group "staf"/);
    expect(findings[0]?.fix).toMatch(/known groups: .*staff/);
  }, 60_000);

  it('policies that do not validate', async () => {
    const findings = await diagnose((dir) =>
      writeFile(join(dir, 'policies', 'broken.cedar'), 'permit (principal, action == Action::"nope", resource);\n'),
    );
    expect(found(findings, 'policies', /broken\.cedar/)).toBe(true);
  }, 60_000);

  it('a document without readers, and a missing folder', async () => {
    const findings = await diagnose(async (dir) => {
      await writeFile(join(dir, 'documents', 'secret.md'), '---\ntitle: Secret\nlabels: [internal]\n---\nBody\n');
      await replaceIn(yaml(dir), 'policies: policies/', 'policies: policy/');
    });
    expect(found(findings, 'documents', /no readers/)).toBe(true);
    expect(found(findings, 'policies', /policy\/ does not exist/)).toBe(true);
  }, 60_000);

  it('a readable table without labels, and a labelled table without forced RLS', async () => {
    const findings = await diagnose(async (dir) => {
      await replaceIn(yaml(dir), /\n\s+public\.project_notes: .*\n/, '\n');
      await replaceIn(
        join(dir, 'sql', 'sample.sql'),
        'ALTER TABLE public.projects FORCE ROW LEVEL SECURITY;',
        'ALTER TABLE public.projects NO FORCE ROW LEVEL SECURITY;',
      );
    });
    expect(found(findings, 'sources', /project_notes/)).toBe(true);
    expect(found(findings, 'sources', /without forcing it/)).toBe(true);
  }, 60_000);

  it('a role that bypasses row-level security', async () => {
    const findings = await diagnose((dir) =>
      replaceIn(
        join(dir, 'sql', 'sample.sql'),
        'CREATE ROLE authenticated NOLOGIN;',
        'CREATE ROLE authenticated NOLOGIN BYPASSRLS;',
      ),
    );
    expect(findings.some((finding) => finding.severity === 'error' && /BYPASSRLS/i.test(finding.message))).toBe(true);
  }, 60_000);

  it('a person whose claims cannot be filled', async () => {
    const findings = await diagnose((dir) =>
      replaceIn(yaml(dir), ', attributes: { uid: 7d1e6f0a-0000-4000-8000-000000000003 }', ''),
    );
    expect(found(findings, 'people', /linus/)).toBe(true);
  }, 60_000);

  it('tools: a configuration that cannot work, and a server that does not answer; one that answers passes', async () => {
    const invalid = await diagnose((dir) =>
      replaceIn(yaml(dir), 'tools: []', 'tools: [{ name: crm, url: "ftp://crm" }]'),
    );
    expect(invalid.filter((finding) => finding.area === 'tools')).toMatchObject([{ severity: 'error' }]);

    const silent = await diagnose((dir) =>
      replaceIn(yaml(dir), 'tools: []', 'tools: [{ name: crm, url: "http://127.0.0.1:9/mcp" }]'),
    );
    expect(silent.filter((finding) => finding.area === 'tools')).toMatchObject([{ severity: 'warning' }]);
    expect(found(silent, 'tools', /MCP server crm at http:\/\/127\.0\.0\.1:9\/mcp cannot be reached/)).toBe(true);

    // Up, though it refuses a request without a grant: reachable.
    const server = createServer((_request, response) => response.writeHead(401).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const answering = await diagnose((dir) =>
        replaceIn(yaml(dir), 'tools: []', `tools: [{ name: crm, url: "http://127.0.0.1:${port}/mcp" }]`),
      );
      expect(answering.filter((finding) => finding.area === 'tools')).toEqual([]);
    } finally {
      server.close();
    }
  }, 150_000);

  it('a source that cannot be reached', async () => {
    const findings = await diagnose(async (dir) => {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal behalf.yaml text, an environment reference
      await replaceIn(yaml(dir), '${PROJECTS_DATABASE_URL:-pglite:projects-pg}', 'postgres://nobody@127.0.0.1:9/none');
      await replaceIn(yaml(dir), /\n\s+setup: .*\n/, '\n');
    });
    expect(findings.some((finding) => finding.area === 'sources' && finding.severity === 'error')).toBe(true);
  }, 60_000);
});
