import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
/**
 * The workspace served when none is named (no `--workspace`, no `BEHALF_WORKSPACE`): the example
 * package.json names under `behalf.defaultWorkspace`, resolved against the package root, so the
 * code names no workspace of its own (SPEC §12).
 */
export function defaultWorkspaceDir(): string {
  const packageJson = fileURLToPath(new URL('../../package.json', import.meta.url));
  const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as { behalf?: { defaultWorkspace?: string } };
  const configured = manifest.behalf?.defaultWorkspace;
  if (!configured) throw new Error('package.json names no behalf.defaultWorkspace; pass --workspace DIR');
  return resolve(dirname(packageJson), configured);
}
