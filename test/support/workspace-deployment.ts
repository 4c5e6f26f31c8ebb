import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LanguageModel } from 'ai';
import type { Run } from '../../src/agent/types.ts';
import { type Deployment, openDeployment } from '../../src/app/open-deployment.ts';
import type { Message } from '../../src/threads/types.ts';

/** A workspace opened in-process as `behalf serve` opens it, on a throwaway data directory. */
export interface WorkspaceDeployment extends Deployment {
  /** Posts `text` as `user` and waits for every queued run: the run it started, finished, and its answer. */
  ask(user: string, threadId: string, text: string): Promise<{ run: Run; answer: Message | undefined }>;
}

/**
 * Opens the workspace in `dir` with `model` (by default a SQLite store and embedded PGlite sources
 * built from their setup; `env` as the server's environment), its policies, documents and seeded
 * threads. `close` removes the data directory.
 */
export async function openWorkspaceDeployment(
  dir: string,
  model: LanguageModel,
  env: Record<string, string> = {},
): Promise<WorkspaceDeployment> {
  const dataDir = await mkdtemp(join(tmpdir(), 'behalf-workspace-app-'));
  try {
    const deployment = await openDeployment({ dataDir, workspace: dir, model, env, serve: true });
    return {
      ...deployment,
      async ask(user, threadId, text) {
        const { run } = await deployment.app.postMessage(user, threadId, text);
        if (!run) throw new Error('the message did not start a run');
        await deployment.app.drain();
        const finished = (await deployment.store.runs.get(run.id)) as Run;
        const answer = finished.answerMessageId
          ? await deployment.store.messages.get(finished.answerMessageId)
          : undefined;
        return { run: finished, answer };
      },
      async close() {
        await deployment.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
