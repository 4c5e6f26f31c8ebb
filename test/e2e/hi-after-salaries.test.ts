import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { requireChromium } from '../support/browser.ts';
import { answerOf, ask, E2E_TEST_TIMEOUT_MS, everReceived, type Person, reloadThread, useE2e } from './e2e-fixture.ts';

/**
 * Issue 10 (SPEC §13): the agent stays multiplayer after a sensitive question. Alice asks for the
 * salaries (private to her), then says "hi": the greeting's answer draws on nothing labelled, so
 * bob sees it, live and after a reload, as an answer and not a hidden placeholder, while the
 * salaries never reach his browser.
 */
const browser = await requireChromium('browser end-to-end tests (hi after a salary question)');
const Q3 = ACME_THREAD.id;
/** Salaries that only the full compensation answer contains (Dana Kim, Frank Li). */
const OTHERS_SALARIES = /290,?000|215,?000/;

const answer = (page: Page, id: string): Locator => page.locator(`[data-testid=message-item][data-message-id="${id}"]`);
const placeholder = (page: Page, id: string): Locator =>
  page.locator(`[data-testid=hidden-placeholder][data-message-id="${id}"]`);

describe.skipIf(!browser)(
  '"hi" after a salary question reaches the whole thread (issue 10)',
  { timeout: E2E_TEST_TIMEOUT_MS },
  () => {
    let alice: Person;
    let bob: Person;

    const f = useE2e(browser, 'hi-after-salaries', {
      setup: async ({ signInLive }) => {
        [alice, bob] = await signInLive(Q3, ['alice', 'bob']);
      },
    });

    it('bob sees the answer to alice\'s "hi", not a placeholder; her salaries stay hers', async () => {
      const salaries = await answerOf(f.app, (await ask(alice, '@agent what are the salaries?')).run?.id as string);
      await answer(alice.page, salaries).waitFor();
      await placeholder(bob.page, salaries).waitFor();

      const greeting = await answerOf(f.app, (await ask(alice, '@agent hi')).run?.id as string);
      for (const person of [alice, bob]) {
        const shown = answer(person.page, greeting);
        await shown.waitFor();
        expect(await shown.getAttribute('data-private')).not.toBe('true');
        expect(await shown.textContent()).toMatch(/Hello! Here is what I can help with/);
        expect(await placeholder(person.page, greeting).count()).toBe(0);
      }
      await f.shot(bob.page, 'bob-sees-alices-hi');

      await reloadThread(bob, Q3);
      await answer(bob.page, greeting).waitFor();
      expect(await placeholder(bob.page, greeting).count()).toBe(0);
      await placeholder(bob.page, salaries).waitFor();
      expect(await everReceived(bob, OTHERS_SALARIES)).toEqual([]);
      await f.shot(bob.page, 'bob-after-reload');
    });
  },
);
