import type { Run } from '../../src/agent/types.ts';
import type { Store } from '../../src/storage/index.ts';
import type { Message } from '../../src/threads/types.ts';
import type { TestApp } from './test-app.ts';

/**
 * Posts `text` as `user` in `threadId` and waits for every queued run to finish. Returns the run
 * the message started, in its final state, and its answer (if it has one).
 */
export async function askAndWait(
  app: TestApp<Store>,
  user: string,
  threadId: string,
  text: string,
): Promise<{ run: Run; answer: Message | undefined }> {
  const { run } = await app.postMessage(user, threadId, text);
  if (!run) throw new Error('the message did not start a run');
  await app.drain();
  const finished = (await app.store.runs.get(run.id)) as Run;
  const answer = finished.answerMessageId ? await app.store.messages.get(finished.answerMessageId) : undefined;
  return { run: finished, answer };
}
