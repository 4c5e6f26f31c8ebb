import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { requireChromium } from '../support/browser.ts';
import { E2E_TEST_TIMEOUT_MS, type Person, useE2e, waitUntil } from './e2e-fixture.ts';

/**
 * Issue 11.2: keyboard and scrolling. The composer has focus when a thread opens and keeps it
 * after sending (by Enter or by the button), so the next message can be typed at once; reading
 * further up, new messages show a cue that jumps down; drawers and the header menu open, trap
 * and close by keyboard, and focus returns to what opened them.
 */
const browser = await requireChromium('browser end-to-end tests (keyboard)');
const Q3 = ACME_THREAD.id;

const focused = (page: Page): Promise<string | null> =>
  page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);

describe.skipIf(!browser)('keyboard and scrolling (issue 11.2)', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  let alice: Person;
  const f = useE2e(browser, 'keyboard', {
    setup: async ({ signInLive }) => {
      [alice] = await signInLive(Q3, ['alice']);
    },
  });

  it('the composer has focus when the thread opens', async () => {
    await waitUntil(async () => (await focused(alice.page)) === 'composer', 'the composer to have focus');
  });

  it('after sending with Enter the next keystrokes land in the composer', async () => {
    const { page } = alice;
    await page.keyboard.type('first from the keyboard');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=message-item]', { hasText: 'first from the keyboard' }).waitFor();
    await waitUntil(async () => (await page.getByTestId('composer').inputValue()) === '', 'the composer to clear');
    expect(await focused(page)).toBe('composer');
    await page.keyboard.type('second');
    expect(await page.getByTestId('composer').inputValue()).toBe('second');
    await f.shot(page, 'focus-kept-after-enter');
  });

  it('after sending with the button focus returns to the composer', async () => {
    const { page } = alice;
    await page.getByTestId('composer-send').click();
    await page
      .locator('[data-testid=message-item]', { hasText: /^.*second$/ })
      .first()
      .waitFor();
    await waitUntil(async () => (await focused(page)) === 'composer', 'focus back in the composer');
    await page.keyboard.type('third');
    expect(await page.getByTestId('composer').inputValue()).toBe('third');
    await page.getByTestId('composer').fill('');
  });

  it('reading further up, new messages show a cue; Enter on it jumps down and returns to the composer', async () => {
    const { page } = alice;
    await page.setViewportSize({ width: 1280, height: 520 });
    for (let index = 0; index < 14; index += 1) await f.app.postMessage('bob', Q3, `filler message ${index}`);
    await page.locator('[data-testid=message-item]', { hasText: 'filler message 13' }).waitFor();
    expect(await page.getByTestId('new-messages').count()).toBe(0);

    const scroller = page.locator('.message-scroller');
    // Scroll up and let the page see it (its scroll handler and a render) before news arrives:
    // on a loaded machine the news could otherwise land first and be followed to the bottom.
    await scroller.evaluate(
      (element) =>
        new Promise<void>((resolve) => {
          element.scrollTop = 0;
          element.dispatchEvent(new Event('scroll'));
          requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
        }),
    );
    await page.waitForTimeout(100);
    await f.app.postMessage('bob', Q3, 'news while alice reads history');
    await f.app.postMessage('carol', Q3, 'more news');
    const cue = page.getByTestId('new-messages');
    await cue.waitFor();
    await waitUntil(async () => (await cue.getAttribute('data-count')) === '2', 'the cue to count 2');
    expect(await scroller.evaluate((element) => element.scrollTop)).toBeLessThan(50);
    await f.shot(page, 'new-messages-cue');

    await cue.focus();
    await page.keyboard.press('Enter');
    await cue.waitFor({ state: 'detached' });
    const gap = await scroller.evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight);
    expect(gap).toBeLessThan(80);
    expect(await focused(page)).toBe('composer');

    // At the bottom, new messages are followed without a cue.
    await f.app.postMessage('bob', Q3, 'seen at once');
    await page.locator('[data-testid=message-item]', { hasText: 'seen at once' }).waitFor();
    expect(await page.getByTestId('new-messages').count()).toBe(0);
  });

  it('on a phone: the header menu and both drawers open, trap focus and close by keyboard', async () => {
    const { page } = alice;
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.setViewportSize({ width: 390, height: 844 });
    const toggle = page.getByTestId('menu-toggle');
    await toggle.waitFor();
    // The shell's first fetches (connectors, admin access) re-render it; let them settle first.
    await page.waitForLoadState('networkidle');

    await toggle.focus();
    await page.keyboard.press('Enter');
    await waitUntil(async () => (await focused(page)) === 'nav-threads', 'focus on the first menu link');
    await page.keyboard.press('Escape');
    expect(await focused(page)).toBe('menu-toggle');
    expect(await page.getByTestId('sign-out').isVisible()).toBe(false);

    const threads = page.getByTestId('threads-toggle');
    await threads.focus();
    await page.keyboard.press('Enter');
    await waitUntil(async () => (await focused(page)) === 'new-thread', 'focus inside the threads drawer');
    expect(await page.getByTestId('threads-drawer').getAttribute('role')).toBe('dialog');
    await f.shot(page, 'threads-drawer-by-keyboard');
    // Tab stays inside: from the last control it wraps to the first, Shift+Tab back again.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('thread-item');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('new-thread');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('thread-item');
    await page.keyboard.press('Escape');
    await page.getByTestId('thread-item').waitFor({ state: 'hidden' });
    expect(await focused(page)).toBe('threads-toggle');

    const members = page.getByTestId('members-toggle');
    await members.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('members-panel').waitFor();
    await waitUntil(
      async () => await page.evaluate(() => document.activeElement?.closest('[data-testid=members-drawer]') !== null),
      'focus inside the members drawer',
    );
    await page.keyboard.press('Escape');
    await page.getByTestId('members-panel').waitFor({ state: 'detached' });
    expect(await focused(page)).toBe('members-toggle');
  });
});
