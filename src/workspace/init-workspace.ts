import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKSPACE_FILE } from './load-workspace.ts';

const TEMPLATE_DIR = fileURLToPath(new URL('./template/', import.meta.url));
/** The published JSON Schema, for editors that complete `behalf.yaml`. */
export const WORKSPACE_SCHEMA_PATH = fileURLToPath(new URL('../../schema/behalf.schema.json', import.meta.url));

/** Why a directory cannot become a workspace. */
export class WorkspaceExistsError extends Error {}

/**
 * Scaffolds a working workspace in `dir` (created when missing; it must not hold a workspace or
 * anything else that the scaffold would overwrite): `behalf.yaml` with comments, a sample embedded
 * database written the way Supabase users write RLS, a document, a policy file and policy tests.
 * Returns the files written, relative to `dir`.
 */
export async function initWorkspace(dir: string): Promise<string[]> {
  const target = resolve(dir);
  await mkdir(target, { recursive: true });
  const existing = new Set(await readdir(target));
  const template = await readdir(TEMPLATE_DIR, { recursive: true, withFileTypes: true });
  const files = template
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(TEMPLATE_DIR.length))
    .sort();
  const clashes = files.filter((file) => existing.has(file.split('/')[0] ?? file));
  if (existing.has(WORKSPACE_FILE) || clashes.length > 0) {
    throw new WorkspaceExistsError(
      `${target} already holds ${clashes.length > 0 ? clashes.join(', ') : WORKSPACE_FILE}; choose an empty or new directory`,
    );
  }
  await cp(TEMPLATE_DIR, target, { recursive: true, errorOnExist: true, force: false });
  // Point editors at the schema that ships with this Behalf (no network needed to complete keys).
  const workspaceFile = join(target, WORKSPACE_FILE);
  const text = await readFile(workspaceFile, 'utf8');
  await writeFile(workspaceFile, text.replace(/\$schema=\S+/, `$schema=${WORKSPACE_SCHEMA_PATH}`));
  return files;
}
