import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { requireChromium } from '../support/browser.ts';
import { E2E_TEST_TIMEOUT_MS, type Person, useE2e } from './e2e-fixture.ts';

/**
 * Issue 9 point 7: the administrator's page in a real browser. dana (Acme's `admins` group)
 * opens Admin from the navigation, reads the label catalogue (who the policies clear, who may
 * declassify), asks "would alice be cleared for hr-confidential?" (allowed, with the policy that
 * decided it, whose text opens below) and the same for bob (denied: no policy allows it); the
 * page fits a phone without sideways scrolling. bob, no administrator, sees no Admin link and
 * the page refuses him.
 */
const browser = await requireChromium('browser end-to-end tests (administrator’s page)');
const PHONE = { width: 390, height: 844 };

const text = async (page: Page, testId: string): Promise<string> =>
  (await page.getByTestId(testId).first().textContent()) ?? '';

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, 'the page scrolls sideways').toBeLessThanOrEqual(innerWidth);
}

describe.skipIf(!browser)('the administrator’s page in a real browser', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  let dana: Person;
  let bob: Person;

  const f = useE2e(browser, 'admin', {
    setup: async ({ signIn }) => {
      [dana, bob] = await Promise.all([signIn('dana'), signIn('bob')]);
    },
  });

  async function decide(person: string, action: string, resource: string): Promise<void> {
    const { page } = dana;
    await page.getByLabel('Person', { exact: true }).selectOption(person);
    await page.getByLabel('Action', { exact: true }).selectOption(action);
    await page.getByLabel('Resource', { exact: true }).fill(resource);
    const [response] = await Promise.all([
      page.waitForResponse((candidate) => candidate.url().endsWith('/api/admin/decide')),
      page.getByTestId('admin-decide-submit').click(),
    ]);
    expect(response.status()).toBe(200);
  }

  it('dana opens Admin and reads the label catalogue: who is cleared, who may declassify', async () => {
    const { page } = dana;
    await page.getByTestId('nav-admin').click();
    await page.getByTestId('admin-labels').waitFor();
    expect(page.url()).toMatch(/\/admin$/);
    expect(await page.locator('h1').textContent()).toBe('Administration: Acme');

    const hr = page.locator('[data-testid=admin-label-row][data-label=hr-confidential]');
    expect(await hr.getByTestId('admin-label-cleared').getAttribute('data-people')).toBe('alice dana');
    expect(await hr.getByTestId('admin-label-cleared').textContent()).toBe('Alice Chen, Dana Kim');
    expect(await hr.getByTestId('admin-label-stewards').textContent()).toBe('Alice Chen');
    const emea = page.locator('[data-testid=admin-label-row][data-label="sales-pipeline:emea"]');
    expect(await emea.textContent()).toContain('of sales-pipeline:{region}');
    expect(await emea.getByTestId('admin-label-cleared').textContent()).toContain('Bob Okafor');
    const publicRow = page.locator('[data-testid=admin-label-row][data-label=public]');
    expect(await publicRow.getByTestId('admin-label-cleared').textContent()).toBe('Everyone (8)');

    // Sources with their tables' labels, agent identities, policies (closed until opened).
    const compensation = page.locator('[data-testid=admin-source-table][data-table=compensation]');
    expect(await compensation.textContent()).toContain('hr-confidential');
    expect(await text(page, 'admin-agents-table')).toContain('eng-assistant');
    expect(await page.getByTestId('admin-policy').count()).toBeGreaterThan(5);
    expect(await page.locator('[data-testid=admin-policy][open]').count()).toBe(0);
    await f.shot(page, 'label-catalogue');
  });

  it('dana asks whether alice, then bob, may read hr-confidential: allow with its policy, then deny', async () => {
    const { page } = dana;
    await decide('alice', 'readLabel', 'label:hr-confidential');
    const decision = page.getByTestId('admin-decision');
    await page.locator('[data-testid=admin-decision][data-effect=allow]').waitFor();
    expect(await decision.textContent()).toContain('Allowed: Alice Chen may be cleared for data labelled');
    const policy = page.getByTestId('admin-decision-policy').first();
    const policyId = (await policy.getAttribute('data-policy')) ?? '';
    expect(policyId).not.toBe('');
    expect(await policy.textContent()).toContain('hr-confidential');
    await f.shot(page, 'decision-allow');

    // The deciding policy opens in the Policies section, with focus on it.
    await policy.getByRole('button', { name: `Show policy ${policyId}` }).click();
    const opened = page.locator('[data-testid=admin-policy][open]');
    await opened.waitFor();
    expect(await opened.textContent()).toContain(`@id("${policyId}")`);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SUMMARY');
    await f.shot(page, 'decision-policy-opened');

    await page.getByTestId('admin-decide-form').scrollIntoViewIfNeeded();
    await decide('bob', 'readLabel', 'label:hr-confidential');
    await page.locator('[data-testid=admin-decision][data-effect=deny]').waitFor();
    expect(await decision.textContent()).toContain('Denied: Bob Okafor may not');
    expect(await text(page, 'admin-decision-none')).toContain('No policy allows');
    expect(await page.getByTestId('admin-decision-policy').count()).toBe(0);
    await f.shot(page, 'decision-deny');

    // Through the agent, on alice's behalf: still decided by the same policies.
    await page.getByTestId('admin-decide-via-agent').check();
    await decide('alice', 'readLabel', 'hr-confidential');
    await page.locator('[data-testid=admin-decision][data-effect=allow]').waitFor();
    expect(await decision.textContent()).toContain('through the agent');
    await page.getByTestId('admin-decide-via-agent').uncheck();

    await f.app.drain();
    const records = await f.app.store.audit.query({ action: 'admin.decide', requester: 'dana', limit: 100 });
    expect(records.map((record) => record.decision)).toEqual(['allow', 'deny', 'allow']);
  });

  it('a request the server refuses shows its message beside the form', async () => {
    const { page } = dana;
    await page.getByLabel('Person', { exact: true }).selectOption('alice');
    await page.getByLabel('Action', { exact: true }).selectOption('readLabel');
    await page.getByLabel('Resource', { exact: true }).fill('tool:sql');
    await page.getByTestId('admin-decide-submit').click();
    const error = page.getByTestId('admin-decision-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('readLabel applies to a Label');
  });

  it('the page fits a phone: no sideways scroll, the form one column wide, policies scroll inside', async () => {
    const { page } = dana;
    await page.setViewportSize(PHONE);
    await page.goto(`${f.server.url}/admin`);
    await page.getByTestId('admin-labels').waitFor();
    await expectNoSidewaysScroll(page);
    await page.locator('[data-testid=admin-policy] summary').first().click();
    await page.locator('[data-testid=admin-policy][open]').waitFor();
    await expectNoSidewaysScroll(page);
    const person = await page.getByLabel('Person', { exact: true }).boundingBox();
    expect(person?.width).toBeGreaterThan(PHONE.width - 100);
    await f.shot(page, 'admin-390', { fullPage: true });
    expect(dana.pageErrors).toEqual([]);
    expect(dana.cspViolations).toEqual([]);
  });

  it('bob, who is no administrator, has no Admin link and the page refuses him', async () => {
    const { page } = bob;
    // Judged once the app has asked the server whether bob administers the workspace.
    const [access] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/api/admin/access')),
      page.reload(),
    ]);
    expect(await access.json()).toEqual({ admin: false, workspace: 'Acme' });
    await page.getByTestId('nav-audit').waitFor();
    expect(await page.getByTestId('nav-admin').count()).toBe(0);
    await page.goto(`${f.server.url}/admin`);
    const state = page.locator('[data-testid=admin-state][data-state=forbidden]');
    await state.waitFor();
    expect(await state.textContent()).toContain('for the workspace’s administrators');
    expect(await page.getByTestId('admin-labels').count()).toBe(0);
    expect(await page.getByTestId('nav-admin').count()).toBe(0);
  });
});
