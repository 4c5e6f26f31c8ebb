import { describe, expect, it } from 'vitest';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { requireChromium } from '../support/browser.ts';
import {
  answerOf,
  ask,
  E2E_TEST_TIMEOUT_MS,
  type Person,
  useE2e,
  waitForLiveThread,
  waitUntil,
} from './e2e-fixture.ts';

/**
 * Issue 11.3: live state that never drifts. The agent status follows the runs even when the
 * POST response that started one lands after the run finished, and after missed frames and a
 * reconnect; a person added to a thread sees it in their list at once (and loses it at once
 * when removed), while nobody else's browser hears of it.
 */
const browser = await requireChromium('browser end-to-end tests (live state)');
const Q3 = ACME_THREAD.id;

describe.skipIf(!browser)('live state that never drifts (issue 11.3)', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  let alice: Person;
  let dana: Person;
  let erin: Person;

  const f = useE2e(browser, 'live', {
    setup: async ({ signIn }) => {
      [alice, dana, erin] = await Promise.all([signIn('alice'), signIn('dana'), signIn('erin')]);
      await waitForLiveThread(alice, Q3);
    },
  });

  it('a run that finishes before its POST response arrives does not stay "queued"', async () => {
    const { page } = alice;
    // Hold the response back until the socket has reported the whole run.
    await page.route('**/api/threads/*/messages', async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      const response = await route.fetch();
      const body = (await response.json()) as { run?: { id: string } };
      if (body.run) await answerOf(f.app, body.run.id);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await route.fulfill({ response });
    });
    const { run } = await ask(alice, '@agent what are the salaries?');
    await page.unroute('**/api/threads/*/messages');
    const answer = await answerOf(f.app, run?.id as string);
    await page.locator(`[data-testid=message-item][data-message-id="${answer}"]`).waitFor();
    const status = page.getByTestId('agent-status');
    await waitUntil(async () => (await status.getAttribute('data-active')) === 'false', 'the status to clear');
    // Still clear a moment later: the late "queued" did not bring the spinner back.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await status.getAttribute('data-active')).toBe('false');
    expect(await status.locator('[data-status=queued]').count()).toBe(0);
    await f.shot(page, 'late-response-no-spinner');
  });

  it('frames missed while the socket was down are reconciled after the reconnect', async () => {
    const { page } = alice;
    // Swallow the end of the next run (its status frames and its answer), then drop the socket.
    let swallowing = true;
    await page.routeWebSocket(/\/api\/ws$/, (socket) => {
      const server = socket.connectToServer();
      server.onMessage((message) => {
        const text = typeof message === 'string' ? message : message.toString();
        if (swallowing && /"type":"(run-updated|answer-delta)"|"kind":"agent"/.test(text)) return;
        socket.send(message);
      });
    });
    await page.reload();
    await waitForLiveThread(alice, Q3);
    const { run } = await ask(alice, '@agent how many open incidents?');
    await answerOf(f.app, run?.id as string).catch(() => answerOf(f.app, run?.id as string, 'failed'));
    const status = page.getByTestId('agent-status');
    expect(await status.getAttribute('data-active')).toBe('true');
    await f.shot(page, 'missed-frames-stale-status');

    swallowing = false;
    f.server.hub.resyncAll();
    await waitUntil(async () => (await status.getAttribute('data-active')) === 'false', 'the status reconciled');
    await page.unrouteAll({ behavior: 'ignoreErrors' });
  });

  it('dana is told live when added (list and notice), and loses the thread live when removed', async () => {
    const thread = await f.app.threads.create('alice', { title: 'Board prep', members: [] });
    const item = (person: Person) => person.page.locator(`[data-testid=thread-item][data-thread-id="${thread.id}"]`);
    expect(await item(dana).count()).toBe(0);
    // dana follows no thread: her socket being open is all she needs to be told.
    await dana.page.locator('[data-testid=connection-status][data-status=open]').waitFor();

    await f.app.threads.addMember('alice', thread.id, 'dana');
    await item(dana).waitFor();
    await dana.page.locator('[data-testid=toast]', { hasText: 'You were added to “Board prep”' }).waitFor();
    await f.shot(dana.page, 'dana-added-live');

    await f.app.threads.removeMember('alice', thread.id, 'dana');
    await item(dana).waitFor({ state: 'detached' });
    await f.shot(dana.page, 'dana-removed-live');

    // erin, never a member, heard nothing about the thread on her socket.
    await erin.settled();
    expect(erin.frames.filter((frame) => frame.includes(thread.id))).toEqual([]);
    expect(await item(erin).count()).toBe(0);
  });
});
