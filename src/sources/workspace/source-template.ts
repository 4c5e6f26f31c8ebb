import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SourceSpec } from '../../workspace/workspace-config.ts';
import type { FairUseSettings } from '../fair-use.ts';
import { compilePgliteWasm } from '../pglite-engine.ts';
import { type OpenedWorkspaceSource, openWorkspaceSource } from './open-workspace-source.ts';
import { readSetupScripts, setupHash } from './source-setup.ts';

/** A workspace source set up once and kept as a snapshot, from which fresh embedded copies open. */
export interface WorkspaceSourceTemplate {
  /** A new, independent in-memory copy of the source (~0.7 s instead of its setup's seconds). Close it. */
  clone(options?: { fairUse?: Partial<FairUseSettings> }): Promise<OpenedWorkspaceSource>;
  /** The set-up data directory as a tarball. */
  readonly snapshot: Uint8Array;
}

/** Where the template's source is declared, and where to keep its snapshot. */
export interface WorkspaceSourceTemplateOptions {
  /** The workspace directory: the source's `setup` files are relative to it. */
  workspaceDir: string;
  /** Where to keep built snapshots between processes; `false` builds in memory only. */
  cacheDir?: string | false;
}

/**
 * Builds (or reads from the cache) a snapshot of `spec` set up on an embedded database, whatever
 * its `url` says: tests and benchmarks call it once and `clone()` per use. The cache key covers the
 * setup files and the PGlite version, so a stale snapshot is never reused.
 */
export async function workspaceSourceTemplate(
  spec: SourceSpec,
  options: WorkspaceSourceTemplateOptions,
): Promise<WorkspaceSourceTemplate> {
  const embedded: SourceSpec = { ...spec, url: 'pglite:memory' };
  delete embedded.adminUrl;
  const wasmModule = await compilePgliteWasm();
  const open = (snapshot: Uint8Array | undefined, fairUse?: Partial<FairUseSettings>) =>
    openWorkspaceSource(embedded, {
      dataDir: options.workspaceDir,
      env: {},
      workspaceDir: options.workspaceDir,
      wasmModule,
      ...(snapshot ? { snapshot } : {}),
      ...(fairUse ? { fairUse } : {}),
    });
  const cacheDir = options.cacheDir ?? join(tmpdir(), 'behalf-source-templates');
  const key = await templateKey(spec, options.workspaceDir);
  const cacheFile = cacheDir === false ? undefined : join(cacheDir, `${spec.name}-${key}.tar`);
  let snapshot: Uint8Array | undefined = cacheFile ? await readFile(cacheFile).catch(() => undefined) : undefined;
  if (!snapshot) {
    const { source } = await open(undefined);
    try {
      if (!source.snapshot) throw new Error('an embedded source has no snapshot');
      snapshot = await source.snapshot();
    } finally {
      await source.close();
    }
    if (cacheFile) await store(cacheFile, snapshot);
  }
  const built = snapshot;
  return { snapshot: built, clone: (cloneOptions = {}) => open(built, cloneOptions.fairUse) };
}

/** Writes atomically (temp file, then rename), so parallel test workers never read half a file. */
async function store(file: string, snapshot: Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, snapshot);
  await rename(temporary, file);
}

async function templateKey(spec: SourceSpec, workspaceDir: string): Promise<string> {
  const pgliteEntry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pglitePackage = await readFile(join(dirname(pgliteEntry), '..', 'package.json'), 'utf8');
  const { version } = JSON.parse(pglitePackage) as { version: string };
  const scripts = spec.setup ? await readSetupScripts(spec.setup, workspaceDir) : [];
  return createHash('sha256')
    .update(`${version}\n${setupHash(scripts)}`)
    .digest('hex')
    .slice(0, 16);
}
