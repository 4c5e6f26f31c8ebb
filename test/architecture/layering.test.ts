import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cyclesOf, type ImportEdge, importsOf, isTestFile, sourceFiles, srcFolderOf } from './import-graph.ts';

/**
 * The rules of docs/ARCHITECTURE.md, checked against the code (issue 8 point 6) so they stay
 * true. Imports are read with the TypeScript parser; the rules are about folders, which is why
 * this is a small test rather than a dependency-cruiser configuration: folder-level cycles over
 * runtime imports only (type imports of another domain's port are how domains name each other,
 * and TypeScript erases them) are not something such tools express directly.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const files = [...sourceFiles(ROOT, 'src'), ...sourceFiles(ROOT, 'test')];
const edges: ImportEdge[] = files.flatMap((file) => importsOf(ROOT, file));
const production = edges.filter((edge) => edge.from.startsWith('src/') && !isTestFile(edge.from));

/** The edges of the system: they use the domains; no domain uses them. */
const EDGES = new Set(['http', 'cli', 'web']);
/** Wires everything together: the only folder (with storage itself) that may touch adapters. */
const COMPOSITION_ROOT = 'app';
/** Folders that are neither domains nor edges. */
const NOT_DOMAINS = new Set([...EDGES, COMPOSITION_ROOT, 'bench']);

const isStorageAdapter = (edge: ImportEdge) =>
  (edge.external && (edge.to === 'pg' || edge.to === 'better-sqlite3')) ||
  (!edge.external && /^src\/storage\/(sqlite|postgres)\/|^src\/storage\/(index|open-store)\.ts$/.test(edge.to));

const describeEdge = (edge: ImportEdge) => `${edge.from} → ${edge.to}${edge.typeOnly ? ' (type)' : ''}`;

describe('architecture rules (issue 8)', () => {
  it('reads the imports of every source file', () => {
    expect(files.length).toBeGreaterThan(300);
    expect(
      edges.some((edge) => edge.from === 'src/app/create-app.ts' && edge.to === 'src/agent/agent-runtime.ts'),
    ).toBe(true);
  });

  it('no domain imports an edge (http, cli, web)', () => {
    const violations = production.filter((edge) => {
      const from = srcFolderOf(edge.from);
      const to = srcFolderOf(edge.to);
      return from && to && !NOT_DOMAINS.has(from) && EDGES.has(to);
    });
    expect(violations.map(describeEdge)).toEqual([]);
  });

  it('only the composition root and the storage folder import a storage adapter, pg or better-sqlite3', () => {
    const violations = production.filter((edge) => {
      const from = srcFolderOf(edge.from);
      if (from === COMPOSITION_ROOT || from === 'storage') return false;
      // SQL data sources reach the team's own PostgreSQL (not Behalf's storage) through pg.
      if (from === 'sources' && edge.external && edge.to === 'pg') return false;
      return isStorageAdapter(edge);
    });
    expect(violations.map(describeEdge)).toEqual([]);
  });

  it('production code never imports test code', () => {
    const violations = production.filter((edge) => !edge.external && edge.to.startsWith('test/'));
    expect(violations.map(describeEdge)).toEqual([]);
  });

  it('there is no runtime import cycle between folders of src', () => {
    const graph = new Map<string, Set<string>>();
    for (const edge of production) {
      if (edge.typeOnly || edge.external) continue;
      const from = srcFolderOf(edge.from);
      const to = srcFolderOf(edge.to);
      if (!from || !to || from === to) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)?.add(to);
    }
    expect(cyclesOf(graph)).toEqual([]);
  });

  it('the environment is read only by the composition root (the CLI hands process.env to it)', () => {
    const readers = files.filter(
      (file) =>
        file.startsWith('src/') &&
        !isTestFile(file) &&
        !/^src\/(app|cli)\//.test(file) &&
        /\bprocess\.env\b/.test(stripComments(readFileSync(join(ROOT, file), 'utf8'))),
    );
    expect(readers).toEqual([]);
  });

  it('finds a cycle when there is one (the checker itself)', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cyclesOf(graph)).toEqual([['a', 'b', 'c']]);
  });
});

/** The code of a file without its comments (a doc comment may mention `process.env`). */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}
