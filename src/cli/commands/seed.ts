import { openDeployment } from '../../app/open-deployment.ts';
import { EXIT } from '../exit-codes.ts';
import type { CommandOutput } from '../output.ts';

/** `behalf seed`: brings the data directory up to the workspace's people, documents and threads (idempotent). */
export async function seedCommand(
  options: { data: string; workspace: string },
  output: CommandOutput,
): Promise<number> {
  const deployment = await openDeployment({
    dataDir: options.data,
    workspace: options.workspace,
    env: process.env,
    onProgress: output.progress,
  });
  try {
    const seeded = deployment.seeded;
    if (seeded && seeded.users + seeded.documents + seeded.threads + seeded.agents > 0) {
      output.out(
        `Seeded ${deployment.workspace.config.name}: ${seeded.users} users, ${seeded.documents} documents, ${seeded.threads} threads, ${seeded.agents} agent identities.`,
      );
    } else {
      output.out(`${deployment.workspace.config.name} is already seeded; nothing changed.`);
    }
    return EXIT.ok;
  } finally {
    await deployment.close();
  }
}
