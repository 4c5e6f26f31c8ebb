import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { requireChromium } from '../support/browser.ts';
import { answerOf, ask, E2E_TEST_TIMEOUT_MS, type Person, useE2e, waitUntil } from './e2e-fixture.ts';

/**
 * Issue 10 point 4 in a real browser: the memory panel shows each person the memories they are
 * cleared for, with labels, who they were remembered for and where their labels came from; the
 * person whose request created one forgets it there.
 */
const browser = await requireChromium('browser end-to-end tests (memory panel)');
const Q3 = ACME_THREAD.id;
const WIDE = { width: 1280, height: 900 };
const SALARY_FACT = 'The top salary is 290000';

const items = (person: Person): Locator => person.page.getByTestId('memory-panel').getByTestId('memory-item');
const texts = async (person: Person): Promise<string[]> => items(person).locator('.memory-text').allTextContents();

describe.skipIf(!browser)('memory panel', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  let alice: Person;
  let bob: Person;

  const f = useE2e(browser, 'memory-panel', {
    setup: async ({ app, signInLive }) => {
      // A memory derived from salaries (how a run labels one is proven in test/invariants/agent-memory.test.ts).
      await app.store.memories.create({
        id: 'mem_salary',
        threadId: Q3,
        text: SALARY_FACT,
        requesterId: 'alice',
        createdAt: Date.now(),
        labels: ['public', 'hr-confidential'],
        origin: {
          runId: 'run_earlier',
          callId: 'run_earlier:call_2',
          messageId: 'msg_earlier',
          sources: [
            {
              kind: 'tool-call',
              callId: 'run_earlier:call_1',
              tool: 'sql',
              at: Date.now(),
              labels: ['hr-confidential'],
            },
          ],
        },
      });
      [alice, bob] = await signInLive(Q3, ['alice', 'bob'], WIDE);
    },
  });

  it('shows each reader the memories they are cleared for; the requester forgets her own', async () => {
    const { run } = await ask(alice, '@agent remember that the offsite is on June 3');
    await answerOf(f.app, run?.id as string);
    await waitUntil(async () => (await texts(alice)).length === 2, 'alice to see both memories');
    expect(await texts(alice)).toEqual([SALARY_FACT, 'the offsite is on June 3']);
    const salary = items(alice).first();
    expect(await salary.getByTestId('memory-labels').textContent()).toBe('hr-confidential');
    expect(await salary.getByTestId('memory-origin').textContent()).toMatch(
      /from the sql call at .+ \(hr-confidential\)/,
    );
    expect(await items(alice).getByTestId('memory-delete').count()).toBe(2);
    await f.shot(alice.page, 'memory-panel-alice');

    // bob is not cleared for hr-confidential: he sees only the offsite, and may not forget it.
    await bob.page.reload();
    await waitUntil(async () => (await texts(bob)).length === 1, 'bob to see one memory');
    expect(await texts(bob)).toEqual(['the offsite is on June 3']);
    expect(await items(bob).getByTestId('memory-delete').count()).toBe(0);
    expect(await bob.page.getByTestId('memory-panel').textContent()).not.toContain('290000');
    await f.shot(bob.page, 'memory-panel-bob');

    await salary.getByTestId('memory-delete').click();
    await waitUntil(async () => (await texts(alice)).length === 1, 'the forgotten memory to leave the panel');
    expect(await texts(alice)).toEqual(['the offsite is on June 3']);
    expect(await f.app.store.memories.get('mem_salary')).toBeUndefined();
  });
});
