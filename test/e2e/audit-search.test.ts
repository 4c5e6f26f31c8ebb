import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { computeGovernanceReport } from '../../src/governance/index.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { requireChromium } from '../support/browser.ts';
import { E2E_TEST_TIMEOUT_MS, type Person, useE2e } from './e2e-fixture.ts';

/**
 * Issue 11 point 6, in a real browser: ivy (auditors, not a member of "Q3 planning") searches
 * the log, filters by date range and action, follows thread-title and run links, sees alice's
 * private answer as "shown privately" and the SQL statement of a query, exports exactly what
 * the filters match; the governance page opens with its one-sentence conclusion and draws one
 * unit per chart. Screenshots at 1280 px.
 */
const browser = await requireChromium('browser end-to-end tests (audit search and governance conclusion)');
const Q3 = ACME_THREAD.id;
const SALARY_SQL = 'SELECT employee_id, salary FROM compensation WHERE salary > 180000';

const text = async (locator: Locator): Promise<string> => (await locator.textContent()) ?? '';
const localDay = (at: number) => {
  const date = new Date(at);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
};

describe.skipIf(!browser)(
  'audit search and the governance conclusion (issue 11.6)',
  { timeout: E2E_TEST_TIMEOUT_MS },
  () => {
    let ivy: Person;
    let aliceRun = '';

    const f = useE2e(browser, 'audit-search', {
      setup: async ({ app, signIn }) => {
        await app.postMessage('bob', Q3, '@agent show me the open deals');
        await app.drain();
        const { run } = await app.postMessage('alice', Q3, `@agent /sql ${SALARY_SQL}`);
        await app.drain();
        aliceRun = run?.id ?? '';
        ivy = await signIn('ivy');
        await ivy.page.setViewportSize({ width: 1280, height: 900 });
      },
    });

    const rows = () => ivy.page.getByTestId('audit-row');

    it('shows thread titles (ivy is not a member), the SQL statement and “shown privately”', async () => {
      await ivy.page.getByTestId('nav-audit').click();
      await rows().first().waitFor();
      const query = rows().and(ivy.page.locator('[data-action="data.query"]')).filter({ hasText: 'Alice Chen' });
      expect(await text(query.getByTestId('audit-thread-link'))).toBe('Q3 planning');
      expect(await text(query.getByTestId('audit-statement'))).toBe(
        'SELECT employee_id, salary FROM compensation WHERE salary > ?',
      );
      expect(await text(query)).not.toContain('180000');
      const privately = rows().and(ivy.page.locator('[data-action="disclosure.decide"][data-decision=deny]'));
      expect(await privately.count()).toBeGreaterThan(0);
      const badge = privately.first().getByTestId('audit-outcome');
      expect(await text(badge)).toBe('shown privately');
      expect(await badge.getAttribute('class')).toContain('badge-decision-private');
      await query.getByRole('button', { name: /Details of record/ }).click();
      expect(await text(ivy.page.locator('.audit-statement'))).toContain('WHERE salary > ?');
      await f.shot(ivy.page, 'audit-titles-statement-private');
    });

    it('searches text, filters by action and by date range, keeping the filters in the URL', async () => {
      const settledRows = async () => {
        await ivy.page.locator('[aria-busy=true]').waitFor({ state: 'detached' });
        return rows().evaluateAll((all) =>
          all.map((row) => ({ action: row.getAttribute('data-action'), text: (row.textContent ?? '').toLowerCase() })),
        );
      };
      await ivy.page.getByTestId('audit-filter-q').fill('compensation');
      await ivy.page.getByTestId('audit-apply').click();
      await expect.poll(() => new URL(ivy.page.url()).searchParams.get('q')).toBe('compensation');
      await expect
        .poll(async () => {
          const found = await settledRows();
          return found.length > 0 && found.every((row) => row.text.includes('compensation'));
        })
        .toBe(true);

      await ivy.page.getByTestId('audit-filter-action').selectOption('data.query');
      await ivy.page.getByTestId('audit-apply').click();
      await expect
        .poll(async () => [...new Set((await settledRows()).map((row) => row.action))])
        .toEqual(['data.query']);

      const today = localDay(Date.now());
      const tomorrow = localDay(Date.now() + 86_400_000);
      await ivy.page.getByTestId('audit-filter-from').fill(tomorrow);
      await ivy.page.getByTestId('audit-apply').click();
      await ivy.page.getByText('No records match these filters.').waitFor();
      await ivy.page.getByTestId('audit-filter-from').fill(today);
      await ivy.page.getByTestId('audit-filter-to').fill(today);
      await ivy.page.getByTestId('audit-apply').click();
      await expect.poll(async () => (await settledRows()).length).toBe(1);
      expect(new URL(ivy.page.url()).searchParams.get('to')).toBe(today);
      await f.shot(ivy.page, 'audit-search-action-date');
    });

    it('exports exactly what the active filters match', async () => {
      const exported = ivy.page.waitForResponse((response) => response.url().includes('/api/audit/export'));
      await ivy.page.getByTestId('audit-export-jsonl').click();
      const response = await exported;
      const url = new URL(response.url());
      expect(url.searchParams.get('q')).toBe('compensation');
      expect(url.searchParams.get('action')).toBe('data.query');
      expect(url.searchParams.get('from')).toMatch(/^\d+$/);
      // What that request returns (read again in the page: Playwright does not keep download bodies).
      const body = await ivy.page.evaluate(async (path) => (await fetch(path)).text(), `${url.pathname}${url.search}`);
      const lines = body.trim().split('\n');
      expect(lines).toHaveLength(await rows().count());
      expect(JSON.parse(lines[0] as string)).toMatchObject({ action: 'data.query', requester: 'alice' });
    });

    it('a thread title and a run id link to their records', async () => {
      await ivy.page.getByTestId('audit-clear').click();
      await rows().first().waitFor();
      const row = rows().and(ivy.page.locator('[data-action="data.query"]')).filter({ hasText: 'Alice Chen' });
      await row.getByTestId('audit-run-link').click();
      await expect.poll(() => new URL(ivy.page.url()).searchParams.get('run')).toBe(aliceRun);
      await ivy.page.locator('[aria-busy=true]').waitFor({ state: 'detached' });
      const ofRun = (await f.app.store.audit.query({ runId: aliceRun, limit: 10_000 })).length;
      await expect.poll(() => rows().count()).toBe(ofRun);
      expect(await ivy.page.getByTestId('audit-filter-run').inputValue()).toBe(aliceRun);

      await rows().first().getByTestId('audit-thread-link').click();
      await expect.poll(() => new URL(ivy.page.url()).search).toBe(`?thread=${Q3}`);
      const ofThread = (await f.app.store.audit.query({ threadId: Q3, limit: 10_000 })).length;
      await expect.poll(() => rows().count()).toBe(Math.min(ofThread, 200));
      // The thread filter names it by title although ivy is not a member.
      const selected = await ivy.page
        .getByTestId('audit-filter-thread')
        .evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent);
      expect(selected).toBe('Q3 planning');
      await f.shot(ivy.page, 'audit-thread-link');
    });

    it('the governance page opens with a one-sentence conclusion and draws one unit per chart', async () => {
      await ivy.page.getByTestId('nav-governance').click();
      const conclusion = ivy.page.getByTestId('governance-conclusion');
      await conclusion.waitFor();
      const report = await computeGovernanceReport({
        store: f.app.store,
        policy: f.app.policy,
        registry: f.app.registry,
      });
      expect(await text(conclusion)).toBe(report.conclusion);
      expect(report.conclusion).toMatch(/^On this deployment [^.]*\.$/);
      // The conclusion comes before every figure and chart.
      const order = await ivy.page.evaluate(() => {
        const page = document.querySelector('[data-testid=governance-page]');
        const conclusionTop =
          page?.querySelector('[data-testid=governance-conclusion]')?.getBoundingClientRect().top ?? 0;
        const summaryTop = page?.querySelector('[data-testid=governance-summary]')?.getBoundingClientRect().top ?? 0;
        return conclusionTop < summaryTop;
      });
      expect(order).toBe(true);
      const units = await ivy.page
        .locator('figure.chart')
        .evaluateAll((figures) => figures.map((figure) => figure.getAttribute('data-unit')));
      expect(units.length).toBeGreaterThanOrEqual(3);
      expect(units.every((unit) => unit !== null && unit !== '')).toBe(true);
      expect(
        new Set(
          await ivy.page
            .getByTestId('governance-plot')
            .locator('figure.chart')
            .evaluateAll((all) => all.map((figure) => figure.getAttribute('data-unit'))),
        ),
      ).toEqual(new Set(['agent identities', 'requests', 'audit records']));
      await f.shot(ivy.page, 'governance-conclusion');
      await f.shot(ivy.page, 'governance-full-page', { fullPage: true });
      expect(ivy.pageErrors).toEqual([]);
    });
  },
);
