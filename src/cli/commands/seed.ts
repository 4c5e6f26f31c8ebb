import { openDeployment } from '../../app/open-deployment.ts';
import { EXIT } from '../exit-codes.ts';
import type { CommandOutput } from '../output.ts';

/** `behalf seed`: creates the Acme demo in the data directory if it is missing (idempotent). */
export async function seedCommand(options: { data: string }, output: CommandOutput): Promise<number> {
  const deployment = await openDeployment({ dataDir: options.data, env: process.env, onProgress: output.progress });
  try {
    const seeded = deployment.seeded;
    if (seeded && seeded.users + seeded.documents + seeded.threads + seeded.agents > 0) {
      output.out(
        `Seeded Acme: ${seeded.users} users, ${seeded.documents} documents, ${seeded.threads} threads, ${seeded.agents} agent identities.`,
      );
    } else {
      output.out('Acme is already seeded; nothing changed.');
    }
    return EXIT.ok;
  } finally {
    await deployment.close();
  }
}
