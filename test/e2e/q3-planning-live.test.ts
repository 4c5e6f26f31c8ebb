import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { requireChromium } from '../support/browser.ts';
import { answerOf, ask, E2E_TEST_TIMEOUT_MS, everReceived, type Person, reloadThread, useE2e } from './e2e-fixture.ts';

/**
 * Issue 3 point 5: alice, bob and carol in "Q3 planning" at the same time, each in their own
 * browser, everything live over the WebSocket. Each person sees exactly what they may: answers
 * on their own authority, placeholders for the rest, and nothing private reaches another
 * browser — not on screen, not in a WebSocket frame, not in an API response.
 */
const browser = await requireChromium('browser end-to-end tests (Q3 planning, live)');
const Q3 = ACME_THREAD.id;
/** Salaries that only a full compensation answer contains (Dana Kim, Grace Obi, Frank Li). */
const OTHERS_SALARIES = /290,?000|240,?000|215,?000/;

const answer = (page: Page, id: string): Locator => page.locator(`[data-testid=message-item][data-message-id="${id}"]`);
const placeholder = (page: Page, id: string): Locator =>
  page.locator(`[data-testid=hidden-placeholder][data-message-id="${id}"]`);
const text = async (locator: Locator): Promise<string> => (await locator.textContent()) ?? '';

describe.skipIf(!browser)(
  'Q3 planning: two people at once, live, in real browsers',
  { timeout: E2E_TEST_TIMEOUT_MS },
  () => {
    let alice: Person;
    let bob: Person;
    let carol: Person;
    let salaries: string;

    const f = useE2e(browser, 'q3', {
      setup: async ({ signInLive }) => {
        [alice, bob, carol] = await signInLive(Q3, ['alice', 'bob', 'carol']);
      },
    });

    it('bob asks for the open deals: only EMEA rows, on his behalf with its label; alice sees a placeholder live', async () => {
      const { run } = await ask(bob, '@agent show me the open deals');
      expect(run?.requesterId).toBe('bob');
      const id = await answerOf(f.app, run?.id as string);

      const bobs = answer(bob.page, id);
      await bobs.waitFor();
      expect(await bobs.getAttribute('data-requester-id')).toBe('bob');
      expect(await bobs.getAttribute('data-private')).toBe('true');
      expect(await text(bobs.getByTestId('on-behalf'))).toBe('on behalf of Bob Okafor (you)');
      expect(await text(bobs.getByTestId('message-labels'))).toContain('sales-pipeline:emea');
      const regions = await bobs.locator('tbody tr td:nth-child(3)').allTextContents();
      // Open deals only: closed-won and closed-lost are not "open" (issue 11.7).
      expect(regions).toHaveLength(7);
      expect(new Set(regions)).toEqual(new Set(['emea']));
      expect(await text(bobs)).not.toMatch(/apac|amer|Tyrell|Hooli|D-2\d{3}|D-3\d{3}/i);
      await f.shot(bob.page, 'bob-deals-emea-only');

      // alice is not cleared for sales-pipeline:emea: a placeholder arrives live, with the reason.
      await placeholder(alice.page, id).waitFor();
      expect(await text(placeholder(alice.page, id))).toContain('Agent answer for Bob Okafor');
      expect(await text(placeholder(alice.page, id).getByTestId('hidden-reason'))).toBeTruthy();
      await placeholder(carol.page, id).waitFor();
      expect(await everReceived(alice, /Globex|Initech|D-1001/)).toEqual([]);
      await f.shot(alice.page, 'alice-placeholder-for-bobs-answer');
    });

    it('alice asks for salaries: a private answer says why; bob and carol never see it, live or after reload', async () => {
      const { run } = await ask(alice, '@agent what are the salaries?');
      salaries = await answerOf(f.app, run?.id as string);

      const alices = answer(alice.page, salaries);
      await alices.waitFor();
      expect(await alices.getAttribute('data-private')).toBe('true');
      expect(await text(alices.getByTestId('private-notice'))).toMatch(
        /^Only you can see this, because it contains hr-confidential data that Bob Okafor and Carol Diaz are not cleared for/,
      );
      expect(await alices.locator('tbody tr').count()).toBe(40);
      expect(await text(alices)).toMatch(OTHERS_SALARIES);
      await alices.getByTestId('private-notice').scrollIntoViewIfNeeded();
      await f.shot(alice.page, 'alice-private-salaries');

      for (const other of [bob, carol]) {
        await placeholder(other.page, salaries).waitFor();
        expect(await answer(other.page, salaries).count()).toBe(0);
        expect(await everReceived(other, OTHERS_SALARIES)).toEqual([]);
      }
      await f.shot(bob.page, 'bob-placeholder-for-alices-salaries');

      await Promise.all([reloadThread(bob, Q3), reloadThread(carol, Q3)]);
      for (const other of [bob, carol]) {
        await placeholder(other.page, salaries).waitFor();
        expect(await answer(other.page, salaries).count()).toBe(0);
        expect(await everReceived(other, OTHERS_SALARIES)).toEqual([]);
      }
      await placeholder(carol.page, salaries).scrollIntoViewIfNeeded();
      await f.shot(carol.page, 'carol-after-reload-still-placeholder');
    });

    it('the requester expands the trace: tool calls, decisions and the policies that decided', async () => {
      const alices = answer(alice.page, salaries);
      await alices.getByTestId('trace-toggle').click();
      const panel = alices.getByTestId('trace-panel');
      await panel.getByTestId('trace-status').waitFor();
      expect(await text(panel.getByTestId('trace-status'))).toBe('done');
      const call = panel.locator('[data-testid=trace-step][data-kind=tool-call]').first();
      expect(await call.getAttribute('data-decision')).toBe('allow');
      expect(await text(call)).toContain('sql');
      expect(await call.locator('code').allTextContents()).toEqual(
        expect.arrayContaining(['sql', 'thread-members-invoke-agent', 'users-use-tools']),
      );
      const disclosure = panel.locator('[data-testid=trace-step][data-kind=disclosure]');
      expect(await disclosure.getAttribute('data-audience')).toBe('requester');
      expect(await text(disclosure)).toContain('shown to you only');
      expect(await text(disclosure)).toContain('hr-confidential');
      expect(await disclosure.locator('code').allTextContents()).toContain('label-public-everyone');
      await f.shot(alice.page, 'alice-trace');
      // Traces are the requester's: bob has one for his own answer only, none for alice's run.
      expect(await bob.page.locator('[data-testid=message-item] [data-testid=trace-toggle]').count()).toBe(1);
      expect(await bob.page.locator('[data-requester-id=bob] [data-testid=trace-toggle]').count()).toBe(1);
    });

    it("carol asks for salaries: everyone else's are denied by the source with its reason; her own row, privately", async () => {
      const { run } = await ask(carol, '@agent what are the salaries?');
      const id = await answerOf(f.app, run?.id as string);
      const carols = answer(carol.page, id);
      await carols.waitFor();
      expect(await carols.getAttribute('data-private')).toBe('true');
      expect(await text(carols.getByTestId('private-notice'))).toMatch(/^Only you can see this, because .*Bob Okafor/);
      const rows = await carols.locator('tbody tr td:first-child').allTextContents();
      expect(rows).toEqual(['Carol Diaz']);
      expect(await text(carols)).not.toMatch(OTHERS_SALARIES);
      // Everyone else's salaries are denied to her, and the answer gives the source's rule.
      expect(await text(carols)).toMatch(
        /row-level security applies to compensation \(policy compensation_visibility: hr and finance see every row/,
      );
      await f.shot(carol.page, 'carol-salaries-own-row-only');
      await placeholder(bob.page, id).waitFor();
      await placeholder(alice.page, id).waitFor();
    });

    it('carol tries to share her incidents answer: the dialog shows who would see it and policy refuses, with its reason', async () => {
      const { run } = await ask(carol, '@agent show me the open incidents');
      const id = await answerOf(f.app, run?.id as string);
      const carols = answer(carol.page, id);
      await carols.waitFor();
      expect(await text(carols.getByTestId('message-labels'))).toContain('engineering-internal');
      await carols.getByTestId('share-button').click();

      const dialog = carol.page.getByTestId('share-dialog');
      const verdict = dialog.getByTestId('share-verdict');
      await verdict.waitFor();
      expect(await verdict.getAttribute('data-allowed')).toBe('false');
      expect(await text(verdict)).toContain('No policy allows carol to declassifyLabel engineering-internal');
      const readers = dialog.getByTestId('share-new-reader');
      expect(
        (await readers.evaluateAll((items) => items.map((item) => item.getAttribute('data-user-id')))).sort(),
      ).toEqual(['alice', 'bob']);
      expect(await text(readers.first())).toContain('engineering-internal');
      expect(await dialog.getByTestId('share-confirm').isDisabled()).toBe(true);
      await f.shot(carol.page, 'carol-share-refused-by-policy');
      await carol.page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });

      expect(await answer(carol.page, id).getAttribute('data-private')).toBe('true');
      for (const other of [alice, bob]) {
        await placeholder(other.page, id).waitFor();
        expect(await everReceived(other, /INC-1\d\d|Mobile app crash/)).toEqual([]);
      }
    });

    it('alice shares her salary answer: the dialog names who newly sees what; bob and carol then see it live', async () => {
      const alices = answer(alice.page, salaries);
      await alices.getByTestId('share-button').click();
      const dialog = alice.page.getByTestId('share-dialog');
      const verdict = dialog.getByTestId('share-verdict');
      await verdict.waitFor();
      expect(await verdict.getAttribute('data-allowed')).toBe('true');
      expect(await verdict.locator('code').allTextContents()).toContain('declassify-hr-confidential-stewards');
      const readers = dialog.getByTestId('share-new-reader');
      expect(
        (await readers.evaluateAll((items) => items.map((item) => item.getAttribute('data-user-id')))).sort(),
      ).toEqual(['bob', 'carol']);
      for (const label of await readers.allTextContents()) expect(label).toContain('hr-confidential');
      // Issue 7.3: the dialog names the audience the share releases to, and what happens to newcomers.
      expect(await text(dialog.getByTestId('share-audience'))).toMatch(
        /released to the members here now \(Alice Chen, Bob Okafor, Carol Diaz\).*joins later.*share it again/,
      );
      await f.shot(alice.page, 'alice-share-dialog');
      await dialog.getByTestId('share-confirm').click();
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(() => alices.getAttribute('data-private')).toBe('false');
      expect(await text(alices.getByTestId('shared-note'))).toBe('Shared with the thread by you');

      for (const other of [bob, carol]) {
        const shared = answer(other.page, salaries);
        await shared.waitFor();
        expect(await placeholder(other.page, salaries).count()).toBe(0);
        expect(await shared.getAttribute('data-private')).toBe('false');
        expect(await text(shared.getByTestId('on-behalf'))).toBe('on behalf of Alice Chen');
        expect(await text(shared.getByTestId('shared-note'))).toBe('Shared with the thread by Alice Chen');
        expect(await text(shared)).toMatch(OTHERS_SALARIES);
        // Another member's answer has no trace and no share action for them.
        expect(await shared.getByTestId('trace-toggle').count()).toBe(0);
        expect(await shared.getByTestId('share-button').count()).toBe(0);
        await shared.getByTestId('on-behalf').scrollIntoViewIfNeeded();
      }
      await f.shot(bob.page, 'bob-sees-shared-salaries-live');
    });

    it('bob files a ticket: the approval card is his alone; he approves and the run completes', async () => {
      const { run } = await ask(bob, '@agent file a ticket about the flaky login test');
      const runId = run?.id as string;
      const card = bob.page.getByTestId('approval-card');
      await card.waitFor();
      expect(await text(card.getByTestId('approval-args'))).toMatch(/flaky login test/i);
      expect(await text(card)).toContain('create_ticket');
      await card.scrollIntoViewIfNeeded();
      await f.shot(bob.page, 'bob-approval-card');
      for (const other of [alice, carol]) {
        expect(await other.page.getByTestId('approval-card').count()).toBe(0);
        expect(await everReceived(other, /approval-requested|create_ticket/)).toEqual([]);
      }

      await card.getByTestId('approval-approve').click();
      await card.waitFor({ state: 'detached' });
      const id = await answerOf(f.app, runId);
      await answer(bob.page, id).waitFor();
      expect(await text(answer(bob.page, id))).toMatch(/flaky login test/i);
      await answer(bob.page, id).scrollIntoViewIfNeeded();
      await f.shot(bob.page, 'bob-ticket-filed');
      expect(await alice.page.getByTestId('approval-card').count()).toBe(0);
    });

    it('no script error in any browser', () => {
      expect([...alice.pageErrors, ...bob.pageErrors, ...carol.pageErrors]).toEqual([]);
    });
  },
);
