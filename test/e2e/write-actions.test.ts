import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { requireChromium } from '../support/browser.ts';
import { answerOf, ask, E2E_TEST_TIMEOUT_MS, type Person, useE2e, waitUntil } from './e2e-fixture.ts';

/**
 * Issue 11 points 5 and 7 in a real browser: the approval card reads as fields and says what
 * "Approve always" covers, the answer names the ticket it filed, trace times only move forward,
 * notices name people, removing a member and switching the agent's mode ask first, money reads
 * in the reader's locale, and `public` never sits beside a confidential label.
 */
const browser = await requireChromium('browser end-to-end tests (write actions and answers)');
const Q3 = ACME_THREAD.id;
const WIDE = { width: 1280, height: 900 };

const message = (page: Page, id: string): Locator =>
  page.locator(`[data-testid=message-item][data-message-id="${id}"]`);
const text = async (locator: Locator): Promise<string> => (await locator.textContent()) ?? '';

describe.skipIf(!browser)('write actions and answers that read well', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  let alice: Person;
  let bob: Person;

  const f = useE2e(browser, 'write-actions', {
    setup: async ({ signInLive }) => {
      [alice, bob] = await signInLive(Q3, ['alice', 'bob'], WIDE);
    },
  });

  /** alice's confirmation dialog `testId` asks `question`; photographed as `shot`, then cancelled. */
  async function expectConfirmationThenCancel(testId: string, question: string, shot: string): Promise<void> {
    const dialog = alice.page.getByTestId(testId);
    await dialog.waitFor();
    expect(await text(dialog)).toContain(question);
    await f.shot(alice.page, shot);
    await dialog.getByTestId('confirm-cancel').click();
    await dialog.waitFor({ state: 'detached' });
  }

  it('the approval card shows readable fields and what "Approve always" covers; the answer names the ticket', async () => {
    const { run } = await ask(bob, '@agent file a ticket: Printer on floor 3 is jammed');
    const card = bob.page.getByTestId('approval-card');
    await card.waitFor();
    const fields = card.getByTestId('approval-fields');
    expect(await text(fields.locator('[data-field=title] dd'))).toBe('Printer on floor 3 is jammed');
    expect(await text(fields.locator('[data-field=severity] dd'))).toBe('medium');
    expect(await text(fields.locator('[data-field=title] dt'))).toBe('Title');
    // The raw JSON is there for whoever wants it, folded away.
    expect(await card.getByTestId('approval-args').isVisible()).toBe(false);
    expect(await text(card.getByTestId('approval-always-note'))).toMatch(
      /lets the agent run create_ticket for you without asking again, in every thread\. It never approves anything for anyone else\./,
    );
    await card.scrollIntoViewIfNeeded();
    await f.shot(bob.page, 'approval-card-1280');

    await card.getByTestId('approval-approve').click();
    const id = await answerOf(f.app, run?.id as string);
    const answer = message(bob.page, id);
    await answer.waitFor();
    const ticket = (await f.app.source.query<{ id: number }>('SELECT id FROM tickets ORDER BY id DESC LIMIT 1'))
      .rows[0];
    expect(await text(answer.locator('.markdown'))).toContain(
      `I filed ticket #${ticket?.id}: “Printer on floor 3 is jammed” (severity medium).`,
    );

    // Trace offsets never go backwards.
    await answer.getByTestId('trace-toggle').click();
    await answer.getByTestId('trace-step').first().waitFor();
    const offsets = (await answer.locator('.trace-offset').allTextContents()).map((value) =>
      Number(value.replace(/[^\d]/g, '')),
    );
    expect(offsets.length).toBeGreaterThan(2);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
  });

  it('an answer with money reads as currency, with no "public" chip beside a confidential label', async () => {
    const { run } = await ask(alice, "@agent what is carol's salary?");
    const id = await answerOf(f.app, run?.id as string);
    const answer = message(alice.page, id);
    await answer.waitFor();
    const markdown = answer.locator('.markdown');
    expect(await text(markdown)).toContain('Carol Diaz is paid a salary of $205,000 and a bonus of $20,000.');
    const cells = await markdown.locator('tbody td').allTextContents();
    expect(cells).toEqual(['Carol Diaz', 'Staff engineer', 'Engineering', '$205,000', '$20,000']);
    const labels = await answer.getByTestId('message-labels').locator('.chip').allTextContents();
    expect(labels).toContain('hr-confidential');
    expect(labels).not.toContain('public');
    expect(await text(markdown)).not.toMatch(/withheld/);
    await answer.scrollIntoViewIfNeeded();
    await f.shot(alice.page, 'answer-with-money-1280');
  });

  it("figures follow the reader's locale", async () => {
    const session = await bob.context.newCDPSession(bob.page);
    await session.send('Emulation.setLocaleOverride', { locale: 'de-DE' });
    const { run } = await ask(bob, "@agent what's the EMEA pipeline worth?");
    const id = await answerOf(f.app, run?.id as string);
    const answer = message(bob.page, id);
    await answer.waitFor();
    await waitUntil(async () => (await text(answer)).includes('1.810.000'), 'German figures');
    expect(await text(answer.locator('.markdown p').first())).toMatch(/7 deals, worth 1\.810\.000\s\$ in total\./);
    expect(await answer.locator('tbody tr').first().locator('td').nth(3).textContent()).toMatch(/^480\.000\s\$$/);
    expect(await text(answer)).not.toMatch(/closed-won|closed-lost/);
    await f.shot(bob.page, 'answer-in-german-locale-1280');
    await session.send('Emulation.setLocaleOverride', { locale: '' });
  });

  it('removing a member asks first, and the notices name people, not ids', async () => {
    const remove = alice.page.locator('[data-testid=member-remove][data-user-id=carol]');
    await remove.click();
    await expectConfirmationThenCancel('confirm-remove-member', 'Remove Carol Diaz?', 'confirm-remove-member');
    expect(await alice.page.locator('[data-testid=member-item][data-user-id=carol]').count()).toBe(1);

    await remove.click();
    await alice.page.getByTestId('confirm-remove').click();
    await alice.page.locator('[data-testid=member-item][data-user-id=carol]').waitFor({ state: 'detached' });
    const removed = alice.page.locator('[data-testid=message-item][data-kind=system]', {
      hasText: 'Carol Diaz was removed by Alice Chen',
    });
    await removed.waitFor();

    await alice.page.getByTestId('member-add-select').selectOption('carol');
    await alice.page.getByTestId('member-add').click();
    await alice.page
      .locator('[data-testid=message-item][data-kind=system]', { hasText: 'Carol Diaz was added by Alice Chen' })
      .waitFor();
    const notices = await alice.page
      .locator('[data-testid=message-item][data-kind=system] .message-text')
      .allTextContents();
    for (const notice of notices) expect(notice).not.toMatch(/\b(?:alice|bob|carol)\b/);
  });

  it("switching the agent's mode asks first", async () => {
    await alice.page.getByTestId('mode-self').click();
    await expectConfirmationThenCancel('confirm-mode', 'Switch to self-authorized?', 'confirm-mode-switch');
    expect(await alice.page.getByTestId('mode-user').isChecked()).toBe(true);
    expect((await f.app.store.threads.get(Q3))?.mode).toBe('user');
  });
});
