import { diagnoseWorkspace } from '../../app/workspace-doctor.ts';
import { EXIT } from '../exit-codes.ts';
import type { CommandOutput } from '../output.ts';

/**
 * `behalf doctor [--workspace DIR]`: checks everything SPEC §12 names and prints each problem
 * with its fix. Exit 0 when nothing was found, 1 when anything was (warnings included: each is
 * something to fix or to accept knowingly).
 */
export async function doctorCommand(
  options: { workspace: string; data: string; json?: boolean },
  output: CommandOutput,
): Promise<number> {
  const { findings } = await diagnoseWorkspace(options.workspace, {
    dataDir: options.data,
    env: process.env,
    onProgress: output.progress,
  });
  if (options.json) {
    output.out(JSON.stringify({ ok: findings.length === 0, findings }));
    return findings.length === 0 ? EXIT.ok : EXIT.negative;
  }
  for (const finding of findings) {
    output.out(`${finding.severity === 'error' ? '✗ error' : '! warning'} [${finding.area}] ${finding.message}`);
    output.out(`    fix: ${finding.fix}`);
  }
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  output.out(
    findings.length === 0
      ? `✓ ${options.workspace}: no problems found.`
      : `${errors} errors, ${findings.length - errors} warnings in ${options.workspace}.`,
  );
  return findings.length === 0 ? EXIT.ok : EXIT.negative;
}
