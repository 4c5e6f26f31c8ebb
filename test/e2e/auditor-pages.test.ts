import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { computeGovernanceReport } from '../../src/governance/index.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { requireChromium } from '../support/browser.ts';
import { E2E_TEST_TIMEOUT_MS, type Person, useE2e } from './e2e-fixture.ts';

/**
 * Issue 3 point 5 and SPEC §9: the auditor's pages in a real browser. Activity in "Q3 planning"
 * (bob's deals, alice's salaries shared, carol's incidents share refused) is made through the
 * engine; ivy (auditors) reads who did what, the verified chain, filters, and the governance
 * plot; bob (not an auditor) sees his own records only and no governance report.
 */
const browser = await requireChromium('browser end-to-end tests (audit and governance pages)');
const Q3 = ACME_THREAD.id;

const text = async (locator: Locator): Promise<string> => (await locator.textContent()) ?? '';

describe.skipIf(!browser)('the auditor’s pages in a real browser', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  let ivy: Person;

  const f = useE2e(browser, 'auditor', {
    setup: async ({ app, signIn }) => {
      const answerTo = async (user: string, question: string): Promise<string> => {
        const { run } = await app.postMessage(user, Q3, question);
        await app.drain();
        const answer = run && (await app.store.runs.get(run.id))?.answerMessageId;
        if (!answer) throw new Error(`no answer to ${user}: ${question}`);
        return answer;
      };
      await answerTo('bob', '@agent show me the open deals');
      await app.sharing.share('alice', await answerTo('alice', '@agent what are the salaries?'));
      const incidents = await answerTo('carol', '@agent show me the open incidents');
      await expect(app.sharing.share('carol', incidents)).rejects.toThrow(/declassifyLabel engineering-internal/);
      await app.drain();
      ivy = await signIn('ivy');
    },
  });

  it('ivy’s audit page shows who did what and a verified chain with its count', async () => {
    await ivy.page.getByTestId('nav-audit').click();
    const chain = ivy.page.locator('[data-testid=chain-status][data-state=ok]');
    await chain.waitFor();
    const count = await f.app.store.audit.count();
    expect(await text(chain)).toContain(`Chain verified — ${count} records`);

    const rows = ivy.page.getByTestId('audit-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(count);
    expect(await text(ivy.page.getByTestId('audit-count'))).toBe(`${count} records`);
    const bobsQuery = rows.filter({ hasText: 'sql:deals' });
    expect(await bobsQuery.getAttribute('data-action')).toBe('data.query');
    expect(await bobsQuery.getAttribute('data-decision')).toBe('allow');
    // The acting agent is in the row's details (issue 11.6 made room for thread titles and run links).
    for (const cell of ['Bob Okafor', 'user', 'allow', 'Q3 planning']) expect(await text(bobsQuery)).toContain(cell);
    const bobsTool = rows.filter({ hasText: 'tool:sql' }).filter({ hasText: 'Bob Okafor' });
    expect(await bobsTool.locator('.policy-id').allTextContents()).toEqual(
      expect.arrayContaining(['thread-members-invoke-agent', 'users-use-tools']),
    );
    const aliceShared = rows.and(ivy.page.locator('[data-action="message.share"][data-decision=allow]'));
    expect(await text(aliceShared)).toContain('Alice Chen');
    expect(await aliceShared.locator('.policy-id').allTextContents()).toContain('declassify-hr-confidential-stewards');
    await f.shot(ivy.page, 'audit-who-did-what');

    // A row opens to the reason: carol's refused share says which policy was missing.
    const carolRefused = rows.and(ivy.page.locator('[data-action="message.share"][data-decision=deny]'));
    expect(await text(carolRefused)).toContain('Carol Diaz');
    await carolRefused.getByRole('button', { name: /Details of record/ }).click();
    expect(await text(ivy.page.locator('.audit-details'))).toContain(
      'No policy allows carol to declassifyLabel engineering-internal',
    );
    await f.shot(ivy.page, 'audit-refused-share-details');
  });

  it('filters narrow the rows: decision=deny, then carol’s denials', async () => {
    const rows = ivy.page.getByTestId('audit-row');
    const denied = (await f.app.store.audit.query({ decision: 'deny', limit: 10_000 })).length;
    expect(denied).toBeGreaterThan(0);
    await ivy.page.getByTestId('audit-filter-decision').selectOption('deny');
    await ivy.page.getByTestId('audit-apply').click();
    await expect.poll(() => rows.count()).toBe(denied);
    expect(new Set(await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-decision'))))).toEqual(
      new Set(['deny']),
    );
    expect(new URL(ivy.page.url()).search).toBe('?decision=deny');
    await f.shot(ivy.page, 'audit-filter-denied');

    const carols = (await f.app.store.audit.query({ decision: 'deny', requester: 'carol', limit: 10_000 })).length;
    await ivy.page.getByTestId('audit-filter-user').selectOption('carol');
    await ivy.page.getByTestId('audit-apply').click();
    await expect.poll(() => rows.count()).toBe(carols);
    for (const row of await rows.all()) expect(await text(row.locator('td').nth(3))).toMatch(/^Carol Diaz\b/);
    expect(await text(rows.and(ivy.page.locator('[data-action="message.share"]')))).toContain('deny');
  });

  it('ivy’s governance page plots the designs side by side, from this deployment’s log', async () => {
    await ivy.page.getByTestId('nav-governance').click();
    const plot = ivy.page.getByTestId('governance-plot');
    await plot.waitFor();
    await ivy.page.getByTestId('governance-summary').waitFor();
    const report = await computeGovernanceReport({
      store: f.app.store,
      policy: f.app.policy,
      registry: f.app.registry,
    });
    const bars = await plot
      .getByTestId('chart-bar')
      .evaluateAll((all) =>
        all.map((bar) => [bar.getAttribute('data-series'), Number(bar.getAttribute('data-value'))]),
      );
    const expected = ['identities', 'capabilityLost', 'overPrivileged', 'recordsWithoutHuman'] as const;
    expect(bars).toEqual(
      expected.flatMap((metric) => report.series.designs.map((design) => [design.label, design[metric]])),
    );
    // The user-authorized design provisions no identity; a self-authorized one needs some and loses bob's EMEA deals.
    expect(report.series.designs[0]?.identities).toBe(0);
    expect(report.identities.selfAuthorized).toBeGreaterThan(0);
    expect(report.outcomes.lcd.capabilityLost).toBeGreaterThan(0);
    expect(await text(ivy.page.getByTestId('governance-thread-plot'))).toContain('Q3 planning');
    await f.shot(ivy.page, 'governance-plot');
    await f.shot(ivy.page, 'governance-full-page', { fullPage: true });
  });

  it('bob (not an auditor) sees only his own records, no chain verification and no governance report', async () => {
    const bob = await f.signIn('bob');
    expect(await bob.page.getByTestId('nav-governance').count()).toBe(0);
    await bob.page.getByTestId('nav-audit').click();
    const rows = bob.page.getByTestId('audit-row');
    await rows.first().waitFor();
    const own = (await f.app.store.audit.query({ requester: 'bob', limit: 10_000 })).length;
    expect(await rows.count()).toBe(own);
    for (const row of await rows.all()) expect(await text(row.locator('td').nth(3))).toMatch(/^Bob Okafor\b/);
    const chain = bob.page.locator('[data-testid=chain-status][data-state=unavailable]');
    await chain.waitFor();
    expect(await text(chain)).toContain('Only auditors may verify the audit chain');
    await f.shot(bob.page, 'audit-as-bob-own-records');

    await bob.page.goto(`${f.server.url}/governance`);
    const page = bob.page.getByTestId('governance-page');
    await page.getByText('The governance report is for auditors').waitFor();
    expect(await page.getByTestId('governance-plot').count()).toBe(0);
    await f.shot(bob.page, 'governance-as-bob-refused');
    expect([...ivy.pageErrors, ...bob.pageErrors]).toEqual([]);
  });
});
