import { readFile } from 'node:fs/promises';
import { formatPolicyProblem } from '../../policy/policy-files.ts';
import {
  checkWorkspacePolicies,
  type WorkspacePolicySet,
  workspacePolicyOptions,
  yamlKeyLocator,
} from '../../policy/workspace-policies.ts';
import { loadWorkspace, type Workspace } from '../../workspace/load-workspace.ts';
import { formatProblem, WorkspaceError } from '../../workspace/workspace-error.ts';
import { EXIT } from '../exit-codes.ts';
import type { CommandOutput } from '../output.ts';

/** A workspace and its checked policy set, or the problems that stop it (to print, exit 3). */
export type CheckedWorkspace =
  | { ok: true; workspace: Workspace; set: WorkspacePolicySet }
  | { ok: false; problems: string[] };

/**
 * Loads a workspace and builds its policy set: Behalf's policies, the catalogue and admins of
 * `behalf.yaml` compiled to permits, and the `policies:` folder, validated against the schema
 * generated for the workspace. Problems come formatted `file:line: message`.
 */
export async function checkWorkspaceDirectory(dir: string): Promise<CheckedWorkspace> {
  let workspace: Workspace;
  try {
    workspace = await loadWorkspace(dir);
  } catch (error) {
    if (error instanceof WorkspaceError) return { ok: false, problems: error.problems.map(formatProblem) };
    throw error;
  }
  const text = await readFile(workspace.file, 'utf8');
  const checked = await checkWorkspacePolicies({ ...workspacePolicyOptions(workspace), locate: yamlKeyLocator(text) });
  if (!checked.ok) return { ok: false, problems: checked.problems.map(formatPolicyProblem) };
  return { ok: true, workspace, set: checked.set };
}

/**
 * `behalf policy validate [--workspace DIR] [--json]`: validates the workspace's policy set as
 * `behalf serve` would load it. Exit 0 when it validates; 3 when it does not (each problem
 * printed with its file and line: a workspace whose policies do not validate does not start).
 */
export async function policyValidateCommand(
  options: { workspace: string; json?: boolean },
  output: CommandOutput,
): Promise<number> {
  const checked = await checkWorkspaceDirectory(options.workspace);
  if (!checked.ok) {
    if (options.json) output.out(JSON.stringify({ ok: false, problems: checked.problems }));
    else {
      for (const problem of checked.problems) output.out(`✗ ${problem}`);
      output.out(
        `${checked.problems.length} problem${checked.problems.length === 1 ? '' : 's'}: the policies do not validate.`,
      );
    }
    return EXIT.failure;
  }
  const { set, workspace } = checked;
  const count = (origin: string) => Object.values(set.sources).filter((source) => source.origin === origin).length;
  const summary = {
    product: count('product'),
    catalogue: count('catalogue'),
    workspace: count('workspace'),
    kinds: set.catalogue.kinds(),
  };
  if (options.json) {
    output.out(JSON.stringify({ ok: true, policies: Object.keys(set.policies).length, ...summary }));
    return EXIT.ok;
  }
  output.out(`✓ ${workspace.config.name}: ${Object.keys(set.policies).length} policies validate.`);
  output.out(`  ${summary.product} of Behalf's own`);
  output.out(`  ${summary.catalogue} from behalf.yaml (label catalogue and admins)`);
  output.out(`  ${summary.workspace} from ${workspace.config.policies ?? '(no policies folder)'}`);
  output.out(`  label kinds: ${summary.kinds.join(', ')}`);
  return EXIT.ok;
}
