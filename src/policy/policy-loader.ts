import { resolve } from 'node:path';
import { AppError } from '../protocol/errors.ts';
import { readDefaultSchema } from './default-schema.ts';
import {
  formatPolicyProblem,
  lineAt,
  type PolicyFileProblem,
  PRODUCT_POLICY_DIR,
  readPolicyFiles,
} from './policy-files.ts';
import { checkPolicySet } from './policy-set.ts';
import { defaultWorkspaceDir, loadWorkspacePolicySet, readWorkspacePolicyOptions } from './workspace-policies.ts';

/**
 * Where the default policies come from. Loading this directory (or none) gives the default
 * workspace's whole set — Behalf's own policies, its compiled catalogue and admins, its policies
 * folder — until the served workspace reaches `buildEngine` (`loadWorkspacePolicySet`).
 */
export const DEFAULT_POLICY_DIR = PRODUCT_POLICY_DIR;

/**
 * Reads every `*.cedar` file of a directory and splits it into policies keyed by their `@id`.
 * Refuses to return anything doubtful (the app must not start on it, and never allows all):
 * a missing or empty directory, a parse error, a policy without `@id` or `@reason`, a
 * duplicate id, or a set that fails Cedar's strict validation against the schema all throw
 * `AppError('policy_invalid')` naming the file, line and problem.
 *
 * Without a directory, or with {@link DEFAULT_POLICY_DIR}: the default workspace's policy set.
 */
export async function loadPolicyDirectory(
  dir: string = DEFAULT_POLICY_DIR,
  options: { schema?: string } = {},
): Promise<Record<string, string>> {
  if (resolve(dir) === resolve(DEFAULT_POLICY_DIR)) {
    const workspace = await readWorkspacePolicyOptions(defaultWorkspaceDir());
    return (await loadWorkspacePolicySet({ ...workspace, ...(options.schema ? { schema: options.schema } : {}) }))
      .policies;
  }
  const files = await readPolicyFiles(dir);
  if (files.problems.length > 0) refuse(files.problems);
  if (files.files === 0) refuse(`${dir}: no .cedar policy files`);
  if (files.locations.size === 0) refuse(`${dir}: the .cedar files hold no policies`);

  const checked = checkPolicySet(files.policies, options.schema ?? (await readDefaultSchema()));
  if ('problems' in checked) {
    const messages = checked.problems.map((problem) => {
      const location = problem.policyId === undefined ? undefined : files.locations.get(problem.policyId);
      if (!location) return problem.message;
      const line = lineAt(location.fileText, location.start + (problem.offset ?? 0));
      return `${location.file}:${line}: policy "${problem.policyId}": ${problem.message}`;
    });
    refuse(`schema validation failed: ${messages.join('; ')}`);
  }
  return files.policies;
}

function refuse(problems: string | readonly PolicyFileProblem[]): never {
  const message = typeof problems === 'string' ? problems : problems.map(formatPolicyProblem).join('; ');
  throw new AppError('policy_invalid', `Invalid policies: ${message}`);
}
