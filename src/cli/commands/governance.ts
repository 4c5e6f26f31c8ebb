import { openDeployment } from '../../app/open-deployment.ts';
import { formatGovernanceProgress, formatGovernanceReport } from '../../governance/index.ts';
import { EXIT } from '../exit-codes.ts';
import type { CommandOutput } from '../output.ts';

/** `behalf governance`: the SPEC §9 comparison for this deployment, in the terminal. */
export async function governanceCommand(
  options: { data: string; json?: boolean },
  output: CommandOutput,
): Promise<number> {
  const deployment = await openDeployment({ dataDir: options.data, env: process.env, seed: false });
  try {
    const report = await deployment.app.governance.report((progress) =>
      output.progress(formatGovernanceProgress(progress)),
    );
    output.out(options.json ? JSON.stringify(report) : formatGovernanceReport(report));
    return EXIT.ok;
  } finally {
    await deployment.close();
  }
}
