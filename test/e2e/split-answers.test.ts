import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { requireChromium } from '../support/browser.ts';
import { leakingAfter, PUBLIC_FACT, SENTINEL, splitAnswerTools } from '../support/split-answer-tools.ts';
import { E2E_TEST_TIMEOUT_MS, everReceived, type Person, useE2e, waitForLiveThread, waitUntil } from './e2e-fixture.ts';

/**
 * Issue 10 points 2 and 3 in the browser: dana (hr) asks in a thread with bob, who is not cleared
 * for hr-confidential. "Answer for me" gives her the private part, with the origins of its labels,
 * and the thread a shared part; "answer for the room" gives the thread only the shared part and her
 * a notice of what was left out. A leaking model copies everything it sees; the sentinel of the
 * hr-confidential rows never reaches bob's browser.
 */
const browser = await requireChromium('browser end-to-end tests (split-audience answers)');

const item = (page: Page, id: string): Locator => page.locator(`[data-testid=message-item][data-message-id="${id}"]`);

describe.skipIf(!browser)(
  'split-audience answers in the browser (issue 10.2, 10.3)',
  { timeout: E2E_TEST_TIMEOUT_MS },
  () => {
    let dana: Person;
    let bob: Person;
    let thread: string;

    const f = useE2e(browser, 'split-answers', {
      app: { model: leakingAfter(['secret_pay', 'cafeteria_hours'], ['bob']), extraTools: () => splitAnswerTools() },
      setup: async (fixture) => {
        thread = (await fixture.app.threads.create('dana', { title: 'Split answers', members: ['bob'] })).id;
        [dana, bob] = await Promise.all([fixture.signIn('dana'), fixture.signIn('bob')]);
        for (const person of [dana, bob]) {
          await person.page.goto(`${fixture.server.url}/threads/${thread}`);
          await waitForLiveThread(person, thread);
        }
      },
    });

    /** Sends `text` from dana's composer with the audience chosen, and waits for the run to finish. */
    async function askAs(audience: 'me' | 'room', text: string) {
      await dana.page.getByTestId(`audience-${audience}`).check();
      const composer = dana.page.getByTestId('composer');
      await composer.fill(text);
      const [response] = await Promise.all([
        dana.page.waitForResponse(
          (candidate) => candidate.request().method() === 'POST' && /\/messages$/.test(candidate.url()),
        ),
        composer.press('Enter'),
      ]);
      expect(JSON.parse(response.request().postData() ?? '{}')).toMatchObject({ audience });
      const runId = ((await response.json()) as { run: { id: string } }).run.id;
      await waitUntil(async () => (await f.app.store.runs.get(runId))?.status === 'done', 'the run to finish');
      const run = await f.app.store.runs.get(runId);
      return { privateId: run?.answerMessageId as string, sharedId: run?.sharedMessageId as string };
    }

    it('answer for me: dana sees both parts and where the private labels came from; bob the shared part', async () => {
      const { privateId, sharedId } = await askAs('me', '@agent pay and cafeteria hours');
      const privatePart = item(dana.page, privateId);
      await privatePart.waitFor();
      expect(await privatePart.getAttribute('data-answer-part')).toBe('private');
      expect(await privatePart.getByTestId('private-notice').textContent()).toMatch(
        /Private part.*`?compensation`? rows of the secret_pay call at/,
      );
      const origin = privatePart.locator('[data-testid=label-origin][data-label=hr-confidential]');
      expect(await origin.textContent()).toMatch(/compensation.*secret_pay call/);
      for (const person of [dana, bob]) {
        const shared = item(person.page, sharedId);
        await shared.waitFor();
        expect(await shared.getAttribute('data-answer-part')).toBe('shared');
        expect(await shared.getByTestId('shared-part-note').count()).toBe(1);
        expect(await shared.textContent()).toContain(PUBLIC_FACT);
      }
      await bob.page.locator(`[data-testid=hidden-placeholder][data-message-id="${privateId}"]`).waitFor();
      await f.shot(dana.page, 'dana-both-parts');
      await f.shot(bob.page, 'bob-shared-part');
    });

    it('answer for the room: the thread gets the shared part, dana what was left out', async () => {
      const { privateId, sharedId } = await askAs('room', '@agent pay and cafeteria hours for everyone');
      const notice = item(dana.page, privateId);
      await notice.waitFor();
      expect(await notice.textContent()).toMatch(/Left out/);
      expect(await notice.textContent()).not.toContain(SENTINEL);
      await item(bob.page, sharedId).waitFor();
      await f.shot(dana.page, 'dana-room-answer');
      expect(await everReceived(bob, new RegExp(SENTINEL))).toEqual([]);
    });
  },
);
