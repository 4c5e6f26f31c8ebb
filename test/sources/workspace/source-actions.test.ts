import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePgliteWasm } from '../../../src/sources/pglite-engine.ts';
import { SqlQueryError } from '../../../src/sources/sql-query-error.ts';
import {
  openWorkspaceSource,
  WorkspaceSourceError,
  type WorkspaceSqlSource,
} from '../../../src/sources/workspace/open-workspace-source.ts';
import { bindPlaceholders, compileAction, runSourceAction } from '../../../src/sources/workspace/source-action.ts';
import {
  SourceActionSchema,
  type SourceActionSpec,
  type SourceSpec,
  WorkspaceConfigSchema,
} from '../../../src/workspace/workspace-config.ts';
import { findReferenceProblems } from '../../../src/workspace/workspace-references.ts';

/**
 * Source actions: the writes a workspace declares on its own database (`actions:` of a source),
 * run as the requester through the database's own RLS, like Acme's ticket tool but for any schema.
 */

const SETUP = `
CREATE ROLE app_reader NOLOGIN;
CREATE ROLE app_writer NOLOGIN;
CREATE TABLE requests (
  id serial PRIMARY KEY,
  title text NOT NULL,
  team text NOT NULL,
  owner text NOT NULL
);
ALTER TABLE requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE requests FORCE ROW LEVEL SECURITY;
CREATE POLICY read_own ON requests FOR SELECT USING (owner = current_setting('app.user_id', true));
CREATE POLICY file_for_own_team ON requests FOR INSERT WITH CHECK (
  owner = current_setting('app.user_id', true)
  AND team = ANY (string_to_array(current_setting('app.groups', true), ','))
);
GRANT SELECT ON requests TO app_reader;
GRANT SELECT, INSERT ON requests TO app_writer;
GRANT USAGE ON SEQUENCE requests_id_seq TO app_writer;
`;

const FILE_REQUEST: SourceActionSpec = SourceActionSchema.parse({
  name: 'file_request',
  description: 'File a request for one of your teams',
  input: {
    title: { type: 'string', maxLength: 100 },
    team: { type: 'string', description: 'One of your teams' },
  },
  // The owner comes from the acting identity inside the database, never from an argument.
  sql: `INSERT INTO requests (title, team, owner)
        VALUES (:title, :team, current_setting('app.user_id')) -- :not_a_placeholder
        RETURNING id, title, team, owner`,
  labels: ['team:{team}'],
});

function spec(changes: Partial<SourceSpec> = {}): SourceSpec {
  return {
    name: 'desk',
    url: 'pglite:desk-pg',
    setup: ['setup.sql'],
    identity: {
      convention: 'settings',
      role: 'app_reader',
      settings: { 'app.user_id': '{{user.id}}', 'app.groups': '{{user.groups}}' },
    },
    tables: { requests: { labels: ['team:{team}'] } },
    writeRole: 'app_writer',
    actions: [FILE_REQUEST],
    ...changes,
  };
}

const ana = { id: 'ana', groups: ['eng'] };
let dir: string;
let source: WorkspaceSqlSource;
let wasmModule: WebAssembly.Module;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'behalf-actions-'));
  await writeFile(join(dir, 'setup.sql'), SETUP);
  wasmModule = await compilePgliteWasm();
  ({ source } = await openWorkspaceSource(spec(), { dataDir: dir, env: {}, workspaceDir: dir, wasmModule }));
}, 60_000);

afterAll(async () => {
  await source?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('bindPlaceholders', () => {
  it('numbers each :name once and leaves casts, literals, quoted names and comments alone', () => {
    const bound = bindPlaceholders(`SELECT :a::int, ':b', "x:c", $q$:d$q$, 'it''s :e' /* :f */, :a, :g -- :h\n`);
    expect(bound.names).toEqual(['a', 'g']);
    expect(bound.text).toBe(`SELECT $1::int, ':b', "x:c", $q$:d$q$, 'it''s :e' /* :f */, $1, $2 -- :h\n`);
  });
});

describe('compileAction', () => {
  const action = (changes: Partial<SourceActionSpec>) => SourceActionSchema.parse({ ...FILE_REQUEST, ...changes });

  it('refuses a placeholder that is no input, an input never used, and a statement that is no write', () => {
    expect(() => compileAction(action({ sql: 'INSERT INTO requests (title) VALUES (:titel)' }))).toThrow(
      /:titel is not one of the action's input/,
    );
    expect(() => compileAction(action({ sql: 'INSERT INTO requests (title) VALUES (:title)' }))).toThrow(
      /team is declared but the statement never uses it/,
    );
    expect(() => compileAction(action({ sql: 'SELECT :title, :team' }))).toThrow(/one INSERT, UPDATE or DELETE/);
  });
});

describe('a source action on PGlite', () => {
  const compiled = compileAction(FILE_REQUEST);

  it('writes as the requester: the owner is theirs and the result carries its per-row label', async () => {
    const result = await runSourceAction(source, ana, compiled, { title: 'New laptop', team: 'eng' });
    expect(result.rows).toEqual([{ id: expect.any(Number), title: 'New laptop', team: 'eng', owner: 'ana' }]);
    expect(result.labels).toEqual(['team:eng']);
  });

  it("lets the source's RLS refuse a write for a team the requester is not in", async () => {
    const refused = runSourceAction(source, ana, compiled, { title: 'Budget', team: 'sales' });
    await expect(refused).rejects.toBeInstanceOf(SqlQueryError);
    await expect(refused).rejects.toMatchObject({ kind: 'permission_denied' });
  });

  it('refuses an argument it does not declare, so no argument can name the owner', async () => {
    await expect(
      runSourceAction(source, ana, compiled, { title: 'x', team: 'eng', owner: 'bob' }),
    ).rejects.toMatchObject({ kind: 'invalid', message: expect.stringMatching(/file_request input/) });
    await expect(runSourceAction(source, ana, compiled, { title: 'x'.repeat(101), team: 'eng' })).rejects.toMatchObject(
      { kind: 'invalid' },
    );
  });

  it('is offered by openWorkspaceSource, and a superuser write role is refused at open', async () => {
    const other = await mkdtemp(join(tmpdir(), 'behalf-actions-su-'));
    try {
      await writeFile(join(other, 'setup.sql'), SETUP);
      await expect(
        openWorkspaceSource(spec({ writeRole: 'postgres' }), {
          dataDir: other,
          env: {},
          workspaceDir: other,
          wasmModule,
        }),
      ).rejects.toBeInstanceOf(WorkspaceSourceError);
      await expect(
        openWorkspaceSource(spec({ actions: [{ ...FILE_REQUEST, sql: 'DELETE FROM requests WHERE id = :id' }] }), {
          dataDir: other,
          env: {},
          workspaceDir: other,
          wasmModule,
        }),
      ).rejects.toThrow(/action file_request: :id is not one of the action's input/);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});

describe('behalf.yaml references of actions', () => {
  it('needs a writeRole, labels from the catalogue, and a tool name nobody else has', () => {
    const config = WorkspaceConfigSchema.parse({
      name: 'Desk',
      labels: [{ id: 'team:{team}', readers: ['{team}'] }],
      sources: [
        {
          ...spec({ writeRole: undefined }),
          actions: [
            { ...FILE_REQUEST, labels: ['team:{team}', 'secret'] },
            { ...FILE_REQUEST, name: 'search_documents' },
          ],
        },
      ],
    });
    const messages = findReferenceProblems(config).map((problem) => `${problem.path.join('.')}: ${problem.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'sources.0.actions: actions need a `writeRole` on the source: the role writes run as',
        'sources.0.actions.0.labels.1: label "secret" is not in the label catalogue (`labels:`)',
        'sources.0.actions.1.name: tool name "search_documents" is taken',
      ]),
    );
  });
});
