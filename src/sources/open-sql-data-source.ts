import { isAbsolute, resolve } from 'node:path';
import { createPgliteSource } from './pglite-source.ts';
import { createPostgresSource } from './postgres-source.ts';
import type { SqlSource } from './types.ts';

/** How to open a data source named by URL. */
export interface OpenSqlDataSourceOptions {
  /** Directory a relative `pglite:` path is resolved against (the working directory by default). */
  baseDir?: string;
  /** PostgreSQL: connections at most (10 by default). */
  poolSize?: number;
  /** PGlite: a compiled `pglite.wasm` to share between sources. */
  wasmModule?: WebAssembly.Module;
}

/** Where a data source URL points. */
export type DataSourceLocation =
  | { engine: 'pglite'; dataDir: string | undefined }
  | { engine: 'postgres'; connectionString: string };

/**
 * Reads a data source URL: `pglite:memory`, `pglite:<directory>` (relative to `baseDir`;
 * `pglite:///abs/dir` also works), or `postgres://…` / `postgresql://…`. Anything else is refused,
 * naming only the scheme (a URL may hold a password).
 */
export function parseDataSourceUrl(url: string, baseDir = process.cwd()): DataSourceLocation {
  if (/^postgres(ql)?:\/\//i.test(url)) return { engine: 'postgres', connectionString: url };
  if (url.startsWith('pglite:')) {
    const rest = url.slice('pglite:'.length);
    if (rest === 'memory') return { engine: 'pglite', dataDir: undefined };
    const path = rest.startsWith('//') ? rest.slice(2) : rest;
    if (path === '') throw new Error('a pglite: data source URL needs a directory, or "memory"');
    return { engine: 'pglite', dataDir: isAbsolute(path) ? path : resolve(baseDir, path) };
  }
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? '(none)';
  throw new Error(`unsupported data source URL scheme ${scheme} use pglite:<dir>, pglite:memory or postgres://…`);
}

/** The URL with any password replaced by `***`, for logs and messages. */
export function redactDataSourceUrl(url: string): string {
  if (!/^postgres(ql)?:\/\//i.test(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}

/**
 * Opens the data source a URL names: PGlite (in memory or in a data directory) or a PostgreSQL
 * pool, as it is (a workspace source adds its setup, identity and checks: `openWorkspaceSource`).
 */
export async function openSqlDataSource(url: string, options: OpenSqlDataSourceOptions = {}): Promise<SqlSource> {
  const location = parseDataSourceUrl(url, options.baseDir);
  if (location.engine === 'pglite') {
    return createPgliteSource({
      ...(location.dataDir ? { dataDir: location.dataDir } : {}),
      ...(options.wasmModule ? { wasmModule: options.wasmModule } : {}),
    });
  }
  return createPostgresSource({
    connectionString: location.connectionString,
    ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
  });
}
