import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_THREAD } from '../../test/support/example-workspace.ts';
import { createTestApp, type TestApp } from '../../test/support/test-app.ts';
import { verifyChain } from '../audit/verify.ts';
import type { Message } from '../threads/types.ts';

const thread = EXAMPLE_THREAD.id;

describe('one agent turn end to end (offline model, the example workspace)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  async function ask(user: string, text: string): Promise<{ answer: Message; runId: string }> {
    const { run } = await app.postMessage(user, thread, text);
    if (!run) throw new Error('no run');
    await app.drain();
    const finished = await app.store.runs.get(run.id);
    expect(finished?.status, finished?.error ?? '').toBe('done');
    const answer = await app.store.messages.get(finished?.answerMessageId as string);
    return { answer: answer as Message, runId: run.id };
  }

  it('bob asks about deals and gets EMEA only, shared with the thread', async () => {
    const { answer } = await ask('bob', '@agent show me the open deals');
    expect(answer.requesterId).toBe('bob');
    expect(answer.labels.filter((label) => label !== 'public')).toEqual(['sales-pipeline:emea']);
    expect(answer.audience).toEqual({ kind: 'users', users: ['bob'] });
    expect(answer.text).toMatch(/emea/i);
    expect(answer.text).not.toMatch(/\bapac\b/i);
  });

  it('alice asks about salaries and the answer is private to her, with the reason', async () => {
    const { answer } = await ask('alice', '@agent what are the salaries?');
    expect(answer.labels).toContain('hr-confidential');
    expect(answer.audience).toEqual({ kind: 'users', users: ['alice'] });
    expect(answer.privateReason).toMatch(/hr-confidential/);
    const bobView = await app.threads.listMessages('bob', thread);
    const hidden = bobView.find((item) => item.id === answer.id);
    expect(hidden).toMatchObject({ hidden: true });
    expect(JSON.stringify(bobView)).not.toContain(answer.text.slice(0, 40));
  });

  it('every step of the runs is in a verified audit chain naming the human', async () => {
    const records = await app.store.audit.query({ action: 'tool.call' });
    expect(records.length).toBeGreaterThanOrEqual(2);
    for (const record of records) expect(['alice', 'bob']).toContain(record.requester);
    expect(await verifyChain(app.store.audit)).toMatchObject({ ok: true });
  });
});
