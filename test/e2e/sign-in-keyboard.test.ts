import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ACME_THREAD, ACME_USERS } from '../support/acme/demo.ts';
import { requireChromium } from '../support/browser.ts';
import { answerOf, E2E_TEST_TIMEOUT_MS, type Person, useE2e, waitForLiveThread } from './e2e-fixture.ts';

/**
 * Issue 3 point 3: the dev sign-in lists the Acme people, and the UI works from the keyboard —
 * choosing a person with Tab and Enter, the composer's `@agent` completion with Tab, Enter to
 * send, Shift+Enter for a new line, Escape to dismiss the completion.
 */
const browser = await requireChromium('browser end-to-end tests (sign-in and keyboard)');

/** The `data-user-id` (or test id) of the focused element. */
const focused = (page: Page): Promise<string | null> =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return element?.dataset.userId ?? element?.dataset.testid ?? null;
  });

describe.skipIf(!browser)('sign-in and keyboard use in a real browser', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  let person: Person;
  const f = useE2e(browser, 'keyboard', {
    setup: async ({ open }) => {
      person = await open('bob');
    },
  });

  it('the sign-in page lists the Acme people with their titles and groups', async () => {
    const cards = person.page.getByTestId('sign-in-person');
    await cards.first().waitFor();
    expect(await cards.evaluateAll((all) => all.map((card) => card.getAttribute('data-user-id')))).toEqual(
      ACME_USERS.map((user) => user.id),
    );
    for (const user of ACME_USERS) {
      const card = person.page.locator(`[data-testid=sign-in-person][data-user-id=${user.id}]`);
      const shown = (await card.textContent()) ?? '';
      for (const part of [user.name, user.title, ...user.groups]) expect(shown).toContain(part);
    }
    await f.shot(person.page, 'sign-in-page');
  });

  it('Tab moves between people and Enter signs in', async () => {
    const { page } = person;
    await expect.poll(() => focused(page)).toBe('alice');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('bob');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('carol');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('bob');
    await f.shot(page, 'sign-in-keyboard-focus-bob');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=current-user][data-user-id=bob]').waitFor();
    await waitForLiveThread(person, ACME_THREAD.id);
  });

  it('the composer completes @agent with Tab, keeps Shift+Enter as a new line, and sends with Enter', async () => {
    const { page } = person;
    const composer = page.getByTestId('composer');
    const suggestion = page.getByTestId('mention-suggestion');
    await composer.focus();

    // Escape dismisses the completion and leaves the text as typed.
    await page.keyboard.type('@');
    await suggestion.waitFor();
    await page.keyboard.press('Escape');
    await suggestion.waitFor({ state: 'detached' });
    expect(await composer.inputValue()).toBe('@');
    await page.keyboard.press('Backspace');

    await page.keyboard.type('@ag');
    await suggestion.waitFor();
    expect(await suggestion.textContent()).toContain('@agent');
    await f.shot(page, 'composer-mention-completion');
    await page.keyboard.press('Tab');
    await suggestion.waitFor({ state: 'detached' });
    expect(await composer.inputValue()).toBe('@agent ');
    expect(await focused(page)).toBe('composer');

    await page.keyboard.type('show me the open deals');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('thanks');
    expect(await composer.inputValue()).toBe('@agent show me the open deals\nthanks');
    const [response] = await Promise.all([
      page.waitForResponse(
        (candidate) => candidate.request().method() === 'POST' && candidate.url().endsWith('/messages'),
      ),
      page.keyboard.press('Enter'),
    ]);
    const { message, run } = (await response.json()) as { message: { id: string }; run?: { id: string } };
    await expect.poll(() => composer.inputValue()).toBe('');
    await page.locator(`[data-testid=message-item][data-message-id="${message.id}"][data-kind=human]`).waitFor();
    const answer = await answerOf(f.app, run?.id as string);
    const item = page.locator(`[data-testid=message-item][data-message-id="${answer}"]`);
    await item.waitFor();
    expect(await item.getAttribute('data-requester-id')).toBe('bob');

    // The trace opens from the keyboard too.
    await item.getByTestId('trace-toggle').focus();
    await page.keyboard.press('Enter');
    await item.getByTestId('trace-panel').getByTestId('trace-status').waitFor();
    expect(await item.getByTestId('trace-toggle').getAttribute('aria-expanded')).toBe('true');
    await f.shot(page, 'composer-sent-answer-trace');
  });

  it('signing out from the keyboard returns to the sign-in page', async () => {
    const { page } = person;
    await page.getByTestId('sign-out').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('sign-in-page').waitFor();
    await expect.poll(() => focused(page)).toBe('alice');
    expect(person.pageErrors).toEqual([]);
  });
});
