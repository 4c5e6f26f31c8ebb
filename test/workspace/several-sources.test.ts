import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { createOfflineModel } from '../../src/agent/model/index.ts';
import { initWorkspace } from '../../src/workspace/init-workspace.ts';
import { openWorkspaceDeployment, type WorkspaceDeployment } from '../support/workspace-deployment.ts';

const UID = {
  ada: '7d1e6f0a-0000-4000-8000-000000000001',
  grace: '7d1e6f0a-0000-4000-8000-000000000002',
  linus: '7d1e6f0a-0000-4000-8000-000000000003',
};

// A second database of the team's, with RLS of its own: each person sees their own invoices.
const BILLING_SQL = `DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN CREATE ROLE authenticated NOLOGIN; END IF;
END $$;
CREATE TABLE public.invoices (id int PRIMARY KEY, customer uuid NOT NULL, amount int NOT NULL);
ALTER TABLE public.invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.invoices FORCE ROW LEVEL SECURITY;
GRANT SELECT ON public.invoices TO authenticated;
CREATE POLICY own_invoices ON public.invoices FOR SELECT TO authenticated
  USING (customer = nullif(current_setting('request.jwt.claims', true)::jsonb ->> 'sub', '')::uuid);
INSERT INTO public.invoices VALUES (1, '${UID.ada}', 1100), (2, '${UID.grace}', 2200), (3, '${UID.linus}', 3300);
`;

/**
 * Issue 9 point 4: several sources in one workspace, each its own tool (`sql` for the first,
 * `sql_<name>` for the others), each reached as the requester through its own RLS and labelled by
 * its own `tables:`.
 */
describe('a workspace with two SQL sources', () => {
  let root: string;
  let deployment: WorkspaceDeployment;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'behalf-two-sources-'));
    const dir = join(root, 'ws');
    await initWorkspace(dir);
    await writeFile(join(dir, 'sql', 'billing.sql'), BILLING_SQL);
    const file = join(dir, 'behalf.yaml');
    const document = parseDocument(await readFile(file, 'utf8'));
    const first = document.getIn(['sources', 0]) as { toJSON(): { identity: unknown } };
    document.addIn(['sources'], {
      name: 'billing',
      url: 'pglite:billing-pg',
      setup: ['sql/billing.sql'],
      identity: first.toJSON().identity,
      tables: { 'public.invoices': { labels: ['internal'] } },
    });
    await writeFile(file, document.toString());
    deployment = await openWorkspaceDeployment(dir, createOfflineModel());
  }, 180_000);
  afterAll(async () => {
    await deployment?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('offers one tool per source, each describing its own tables', () => {
    expect(deployment.app.registry.get('sql')?.description).toContain('projects');
    expect(deployment.app.registry.get('sql')?.description).not.toContain('invoices');
    expect(deployment.app.registry.get('sql_billing')?.description).toContain('invoices');
  });

  it.each(Object.entries(UID))(
    'reads each source as %s, through that source’s own policies',
    async (person) => {
      const { run, answer } = await deployment.ask(
        person,
        'thr_welcome',
        '@agent /tool sql_billing {"query": "SELECT id, amount FROM invoices ORDER BY id"}',
      );
      const [step] = run.steps.filter((entry) => entry.kind === 'tool-call');
      expect(step).toMatchObject({ tool: 'sql_billing', decision: 'allow' });
      expect(run.labels).toContain('internal');
      const rows = [...(answer?.text ?? '').matchAll(/^\| (\d+) \| ([\d,$.]+) \|$/gm)].map((match) => match[1]);
      const own = { ada: '1', grace: '2', linus: '3' }[person];
      expect(rows).toEqual([own]);
    },
    60_000,
  );

  it('a request naming tables of both sources calls both tools in one step', async () => {
    const { run } = await deployment.ask('grace', 'thr_welcome', '@agent list the projects and the invoices');
    const tools = run.steps.flatMap((entry) => (entry.kind === 'tool-call' ? [entry.tool] : [])).sort();
    expect(tools).toEqual(['sql', 'sql_billing']);
  }, 60_000);
});
