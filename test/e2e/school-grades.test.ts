import { mkdirSync } from 'node:fs';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineModel } from '../../src/agent/model/offline-model.ts';
import { type RunningServer, startServer } from '../../src/http/server.ts';
import type { PostMessageResponse } from '../../src/protocol/wire.ts';
import { requireChromium } from '../support/browser.ts';
import { ensureWebBuild } from '../support/web-build.ts';
import { openWorkspaceDeployment, type WorkspaceDeployment } from '../support/workspace-deployment.ts';
import { rowSet } from '../workspace/school/answer-table.ts';
import { openSchoolOnPglite, SCHOOL_DIR, type SchoolDatabase } from '../workspace/school/school-database.ts';
import { E2E_SETUP_TIMEOUT_MS, E2E_TEST_TIMEOUT_MS, SCREENSHOT_DIR, waitUntil } from './e2e-fixture.ts';

/**
 * Issue 9, item 8, in the browser: the second example (examples/school) served with its web UI.
 * Two teachers in "Year 8 team" ask the agent the same question; each sees the grades of their
 * own classes only — exactly the rows the database gives them under their own claims (the
 * oracle) — privately, and the other sees a placeholder.
 */

const browser = await requireChromium('browser end-to-end tests (the school example)');
const THREAD = 'thr_year8';
const QUESTION = '@agent show me the grades';

describe.skipIf(!browser)('the school example in the browser: the same question, different rows', () => {
  let school: WorkspaceDeployment;
  let oracle: SchoolDatabase;
  let server: RunningServer;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [, school, oracle] = await Promise.all([
      ensureWebBuild(),
      openWorkspaceDeployment(SCHOOL_DIR, createOfflineModel()),
      openSchoolOnPglite(),
    ]);
    server = await startServer({ app: school.app, port: 0, agentInvocationsPerMinute: 1000 });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  }, E2E_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close().catch(() => {})));
    await server?.close();
    await school?.close();
    await oracle?.close();
    await browser?.close();
  });

  /** A teacher in their own browser, signed in by clicking their card, in the Year 8 thread. */
  async function signIn(userId: string): Promise<Page> {
    const context = await (browser as NonNullable<typeof browser>).newContext({
      viewport: { width: 1440, height: 900 },
    });
    contexts.push(context);
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await page.goto(server.url);
    await page.locator(`[data-testid=sign-in-person][data-user-id=${userId}]`).click();
    await page.locator(`[data-testid=current-user][data-user-id=${userId}]`).waitFor();
    await page.locator(`[data-testid=thread-item][data-thread-id=${THREAD}]`).click();
    await page.locator(`[data-testid=thread-view][data-thread-id=${THREAD}]`).waitFor();
    return page;
  }

  /** Types the question into the composer, as a person would; the answer's id once its run is done. */
  async function askInBrowser(page: Page): Promise<string> {
    const composer = page.getByTestId('composer');
    await composer.fill(QUESTION);
    const [response] = await Promise.all([
      page.waitForResponse(
        (candidate) =>
          candidate.request().method() === 'POST' && candidate.url().endsWith(`/api/threads/${THREAD}/messages`),
      ),
      composer.press('Enter'),
    ]);
    const { run } = (await response.json()) as PostMessageResponse;
    await waitUntil(async () => (await school.store.runs.get(run?.id as string))?.status === 'done', 'the run');
    return (await school.store.runs.get(run?.id as string))?.answerMessageId as string;
  }

  const answer = (page: Page, id: string): Locator =>
    page.locator(`[data-testid=message-item][data-message-id="${id}"]`);
  const placeholder = (page: Page, id: string): Locator =>
    page.locator(`[data-testid=hidden-placeholder][data-message-id="${id}"]`);

  /** The rows of the answer's table as shown, and its header. */
  async function shownTable(item: Locator): Promise<{ columns: string[]; rows: string[][] }> {
    await item.locator('tbody tr').first().waitFor();
    const columns = (await item.locator('thead th').allTextContents()).map((text) => text.trim());
    const rows: string[][] = [];
    for (const row of await item.locator('tbody tr').all()) {
      rows.push((await row.locator('td').allTextContents()).map((text) => text.trim()));
    }
    return { columns, rows };
  }

  it(
    'omar and lucia each see their own classes’ grades, as the database gives them, and a placeholder for the other’s',
    async () => {
      const [omar, lucia] = await Promise.all([signIn('omar'), signIn('lucia')]);
      const omarsAnswer = await askInBrowser(omar);
      const luciasAnswer = await askInBrowser(lucia);

      const shown: Record<string, string[]> = {};
      for (const [person, page, id] of [
        ['omar', omar, omarsAnswer],
        ['lucia', lucia, luciasAnswer],
      ] as const) {
        const item = answer(page, id);
        await item.waitFor();
        expect(await item.getAttribute('data-private')).toBe('true');
        const table = await shownTable(item);
        const direct = await oracle.direct(person, `SELECT ${table.columns.join(', ')} FROM grades`);
        expect(direct.length).toBeGreaterThan(0);
        shown[person] = rowSet(table.rows);
        expect(shown[person], person).toEqual(rowSet(direct));
        const classes = [...new Set(direct.map((row) => row[table.columns.indexOf('class_id')]))];
        const labels = (await item.getByTestId('message-labels').textContent()) ?? '';
        for (const classId of classes) expect(labels).toContain(`class:${classId}`);
        await page.screenshot({ path: `${SCREENSHOT_DIR}school-grades-${person}.png` });
      }
      // The same question, different rows: no grade row is shown to both.
      expect(shown.omar?.filter((row) => shown.lucia?.includes(row))).toEqual([]);

      // Each sees the other's answer as a placeholder, live, never its rows.
      await placeholder(lucia, omarsAnswer).waitFor();
      await placeholder(omar, luciasAnswer).waitFor();
      expect(await answer(lucia, omarsAnswer).count()).toBe(0);
      expect(await answer(omar, luciasAnswer).count()).toBe(0);
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
