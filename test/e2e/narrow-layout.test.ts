import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { requireChromium } from '../support/browser.ts';
import { E2E_TEST_TIMEOUT_MS, type Person, useE2e, waitForLiveThread } from './e2e-fixture.ts';

/**
 * Issue 11.1: phones and narrow windows. At 390 px no page scrolls sideways (measured on every
 * page), the thread list and the members panel are drawers, the composer takes the full width
 * and the header folds into a menu; at 1280 px the docked layout stays. Every page is
 * photographed at both widths.
 */
const browser = await requireChromium('browser end-to-end tests (narrow layout)');
const Q3 = ACME_THREAD.id;
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 800 };

/** The page's horizontal overflow: the document's scroll width against the window's. */
async function widths(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: innerWidth }));
}

/** The outermost elements reaching past the right edge, to name the culprit when a check fails. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: Element[] = [];
    for (const element of document.body.querySelectorAll('*')) {
      if (element.getBoundingClientRect().right <= innerWidth + 0.5) continue;
      if (found.some((outer) => outer.contains(element))) continue;
      found.push(element);
    }
    return found.slice(0, 5).map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')}`);
  });
}

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await widths(page);
  if (scrollWidth > innerWidth) expect.fail(`${scrollWidth} px > ${innerWidth} px: ${await overflowing(page)}`);
}

async function box(page: Page, testId: string) {
  const found = await page.getByTestId(testId).first().boundingBox();
  if (!found) throw new Error(`${testId} is not displayed`);
  return found;
}

describe.skipIf(!browser)('narrow windows and phones (issue 11.1)', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  let alice: Person;
  let ivy: Person;

  const f = useE2e(browser, 'narrow', {
    setup: async ({ app, signIn }) => {
      // Long content: a wide answer table and an unbroken word must not widen the page either.
      await app.postMessage('bob', Q3, `A very long reference: ${'x'.repeat(160)}`);
      const { run } = await app.postMessage('alice', Q3, '@agent what are the salaries?');
      await app.drain();
      expect(run).toBeTruthy();
      [alice, ivy] = await Promise.all([signIn('alice'), signIn('ivy')]);
      await waitForLiveThread(alice, Q3);
    },
  });

  /** Opens `path` at `viewport`, waits for its content, and checks it does not scroll sideways. */
  async function openPageAt(person: Person, path: string, testId: string, viewport: typeof PHONE): Promise<void> {
    await person.page.setViewportSize(viewport);
    await person.page.goto(`${f.server.url}${path}`);
    await person.page.getByTestId(testId).waitFor();
    if (testId === 'audit-page') await person.page.getByTestId('audit-row').first().waitFor();
    if (testId === 'governance-page') await person.page.getByTestId('governance-summary').waitFor();
    await expectNoSidewaysScroll(person.page);
  }

  it('the thread at 390 px: full-width messages and composer, no sideways scroll, drawers closed', async () => {
    const { page } = alice;
    // Drawers slide in; without motion their boxes can be measured at once.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.setViewportSize(PHONE);
    await page.getByTestId('composer').waitFor();
    await expectNoSidewaysScroll(page);

    const composer = await box(page, 'composer');
    expect(composer.width).toBeGreaterThan(PHONE.width - 120);
    expect(composer.height).toBeLessThan(120);
    const message = await box(page, 'message-list');
    expect(message.width).toBeGreaterThan(PHONE.width - 40);
    expect(await page.getByTestId('members-panel').count()).toBe(0);
    expect(await page.getByTestId('thread-item').first().isVisible()).toBe(false);
    expect(await page.getByTestId('sign-out').isVisible()).toBe(false);
    expect(await page.getByTestId('current-user').isVisible()).toBe(true);
    await f.shot(page, 'thread-390');
    await page.getByTestId('message-list').locator('table').first().scrollIntoViewIfNeeded();
    await expectNoSidewaysScroll(page);
    await f.shot(page, 'thread-390-answer-table');
  });

  it('the header folds into a menu whose links and Sign out lie inside the screen', async () => {
    const { page } = alice;
    await page.getByTestId('menu-toggle').click();
    expect(await page.getByTestId('menu-toggle').getAttribute('aria-expanded')).toBe('true');
    for (const testId of ['nav-threads', 'nav-audit', 'sign-out']) {
      const found = await box(page, testId);
      expect(found.x).toBeGreaterThanOrEqual(0);
      expect(found.x + found.width).toBeLessThanOrEqual(PHONE.width);
    }
    await expectNoSidewaysScroll(page);
    await f.shot(page, 'thread-390-menu-open');
    await page.getByTestId('menu-toggle').click();
    expect(await page.getByTestId('sign-out').isVisible()).toBe(false);
  });

  it('the thread list and the members panel open as drawers and close again', async () => {
    const { page } = alice;
    await page.getByTestId('threads-toggle').click();
    const item = page.locator(`[data-testid=thread-item][data-thread-id="${Q3}"]`);
    await item.waitFor();
    const drawer = await box(page, 'threads-drawer');
    expect(drawer.x).toBeGreaterThanOrEqual(0);
    expect(drawer.width).toBeLessThanOrEqual(PHONE.width);
    await expectNoSidewaysScroll(page);
    await f.shot(page, 'thread-390-threads-drawer');
    await page.getByTestId('threads-drawer-backdrop').click({ position: { x: PHONE.width - 10, y: 300 } });
    await item.waitFor({ state: 'hidden' });

    await page.getByTestId('members-toggle').click();
    const panel = page.getByTestId('members-panel');
    await panel.waitFor();
    const members = await box(page, 'members-panel');
    expect(members.x).toBeGreaterThanOrEqual(0);
    expect(members.x + members.width).toBeLessThanOrEqual(PHONE.width + 0.5);
    await expectNoSidewaysScroll(page);
    await f.shot(page, 'thread-390-members-drawer');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  });

  it('no page scrolls sideways at 390 px: audit, governance, connections, sign-in', async () => {
    const pages: Array<[Person, string, string]> = [
      [ivy, '/audit', 'audit-page'],
      [ivy, '/governance', 'governance-page'],
      [alice, '/connections', 'connections-page'],
    ];
    for (const [person, path, testId] of pages) {
      await openPageAt(person, path, testId, PHONE);
      await f.shot(person.page, `${testId.replace('-page', '')}-390`, { fullPage: true });
    }
    await ivy.page.goto(`${f.server.url}/`);
    // ivy is in no thread: the threads page is its empty state.
    await ivy.page.getByRole('heading', { name: 'No threads yet' }).waitFor();
    await expectNoSidewaysScroll(ivy.page);
    await f.shot(ivy.page, 'threads-390-empty');

    const visitor = await f.open('visitor');
    await visitor.page.setViewportSize(PHONE);
    await visitor.page.getByTestId('sign-in-person').first().waitFor();
    await expectNoSidewaysScroll(visitor.page);
    await f.shot(visitor.page, 'sign-in-390', { fullPage: true });
    await visitor.page.setViewportSize(LAPTOP);
    await f.shot(visitor.page, 'sign-in-1280');
  });

  it('at 1280 px the list and the members panel are docked and the header shows everything', async () => {
    const { page } = alice;
    await page.setViewportSize(LAPTOP);
    await page.goto(`${f.server.url}/threads/${Q3}`);
    await waitForLiveThread(alice, Q3, 2);
    await page.getByTestId('members-panel').waitFor();
    expect(await page.getByTestId('menu-toggle').isVisible()).toBe(false);
    expect(await page.getByTestId('threads-toggle').count()).toBe(0);
    for (const testId of ['nav-threads', 'nav-audit', 'sign-out', 'thread-item'])
      expect(await page.getByTestId(testId).first().isVisible()).toBe(true);
    await expectNoSidewaysScroll(page);
    await f.shot(page, 'thread-1280');

    for (const [path, testId] of [
      ['/audit', 'audit-page'],
      ['/governance', 'governance-page'],
      ['/connections', 'connections-page'],
    ] as const) {
      const person = testId === 'connections-page' ? alice : ivy;
      await openPageAt(person, path, testId, LAPTOP);
      await f.shot(person.page, `${testId.replace('-page', '')}-1280`);
    }
  });
});
