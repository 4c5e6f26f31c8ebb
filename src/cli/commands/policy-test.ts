import { readPolicyTests, runPolicyTests } from '../../policy/policy-tests.ts';
import { EXIT } from '../exit-codes.ts';
import type { CommandOutput } from '../output.ts';
import { checkWorkspaceDirectory } from './policy-validate.ts';

/**
 * `behalf policy test FILE [--workspace DIR] [--json]`: runs each case of FILE (YAML or JSON, like
 * `cedar test`) against the workspace's policy set and prints pass or fail with the policies that
 * decided. Exit 0 when every case passes, 1 when any fails, 3 when the policies do not validate
 * or FILE cannot be read or is malformed (each problem with its line).
 *
 * ```yaml
 * - name: Bob reads the EMEA pipeline
 *   principal: bob                      # a person of behalf.yaml (their groups), or { id, groups }
 *   action: readLabel                   #   or { agent: <identity>, groups } for a self-mode agent
 *   resource: label:sales-pipeline:emea # type:id, or { type: document, id, label, readers } …
 *   expect: allow
 *   policies: [label-sales-pipeline-region-readers]   # optional: exactly these decided
 * ```
 */
export async function policyTestCommand(
  options: { file: string; workspace: string; json?: boolean },
  output: CommandOutput,
): Promise<number> {
  const checked = await checkWorkspaceDirectory(options.workspace);
  if (!checked.ok) {
    for (const problem of checked.problems) output.error(problem);
    output.error('the policies do not validate; no case was run');
    return EXIT.failure;
  }
  const parsed = await readPolicyTests(options.file, checked.workspace.config);
  if (!parsed.ok) {
    for (const problem of parsed.problems) output.error(problem);
    return EXIT.failure;
  }
  const results = await runPolicyTests(parsed.cases, checked.set, checked.workspace.config);
  const failed = results.filter((result) => !result.pass).length;
  if (options.json) {
    output.out(JSON.stringify({ ok: failed === 0, passed: results.length - failed, failed, results }));
  } else {
    for (const result of results) {
      const decided = result.policies.length > 0 ? result.policies.join(', ') : 'no policy';
      if (result.pass) output.out(`✓ PASS ${result.name}: ${result.effect} (${decided})`);
      else {
        output.out(`✗ FAIL ${result.name}: ${result.failure}`);
        if (result.reason) output.out(`    reason: ${result.reason}`);
      }
    }
    output.out(`${results.length - failed} passed, ${failed} failed (${options.file})`);
  }
  return failed === 0 ? EXIT.ok : EXIT.negative;
}
