import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WEB_UI_CSP } from '../../src/http/middleware/security-headers.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { requireChromium } from '../support/browser.ts';
import { WEB_ROOT } from '../support/web-build.ts';
import { answerOf, ask, E2E_TEST_TIMEOUT_MS, type Person, useE2e, waitForLiveThread } from './e2e-fixture.ts';

/**
 * Issue 7 point 6: the web UI runs under its strict Content-Security-Policy without a single
 * violation — signing in, the live thread over the WebSocket, an agent answer, the governance
 * charts (whose colours React sets through the CSSOM) — while script or style injected into the
 * page is refused by the browser.
 */
const browser = await requireChromium('browser end-to-end tests (Content-Security-Policy)');
const Q3 = ACME_THREAD.id;

describe.skipIf(!browser)('the web UI under its Content-Security-Policy', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  let bob: Person;
  const f = useE2e(browser, 'csp');

  it('the document is served with the strict policy, and the build has no inline script, style or handler', async () => {
    const response = await fetch(f.server.url);
    expect(response.headers.get('content-security-policy')).toBe(WEB_UI_CSP);
    const html = await readFile(join(WEB_ROOT, 'index.html'), 'utf8');
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toMatch(/\ssrc="\/assets\//);
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
  });

  it('signing in, a live thread, an agent answer and the governance charts raise no violation', async () => {
    bob = await f.signIn('bob');
    await waitForLiveThread(bob, Q3);
    const { run } = await ask(bob, '@agent show me the open deals');
    const answer = await answerOf(f.app, run?.id as string);
    await bob.page.locator(`[data-testid=message-item][data-message-id="${answer}"] tbody tr`).first().waitFor();

    const ivy = await f.signIn('ivy');
    await ivy.page.getByTestId('nav-governance').click();
    await ivy.page.getByTestId('governance-plot').waitFor();
    // React's `style={…}` goes through the CSSOM, which `style-src 'self'` allows.
    const swatch = await ivy.page
      .locator('.legend-swatch')
      .first()
      .evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(swatch).not.toMatch(/^(rgba\(0, 0, 0, 0\)|transparent)$/);
    await f.shot(ivy.page, 'governance-under-csp');

    for (const person of [bob, ivy]) {
      expect(person.cspViolations).toEqual([]);
      expect(person.pageErrors).toEqual([]);
    }
  });

  it('an injected inline script, event handler or style attribute is refused by the browser', async () => {
    const outcome = await bob.page.evaluate(async () => {
      const directives: string[] = [];
      document.addEventListener('securitypolicyviolation', (event) => directives.push(event.violatedDirective));
      const flags = window as unknown as Record<string, boolean | undefined>;
      const script = document.createElement('script');
      script.textContent = 'window.behalfInjectedScript = true';
      document.body.append(script);
      const box = document.createElement('div');
      box.innerHTML =
        '<p id="behalf-injected" style="color: rgb(255, 0, 0)">x</p><img src="/no-image" onerror="window.behalfInjectedHandler = true">';
      document.body.append(box);
      const deadline = Date.now() + 5000;
      while (directives.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      const injected = document.getElementById('behalf-injected') as HTMLElement;
      const color = getComputedStyle(injected).color;
      box.remove();
      script.remove();
      return { directives, script: flags.behalfInjectedScript, handler: flags.behalfInjectedHandler, color };
    });
    expect(outcome.script).toBeUndefined();
    expect(outcome.handler).toBeUndefined();
    expect(outcome.color).not.toBe('rgb(255, 0, 0)');
    // Chromium may report one blocked attribute more than once.
    expect([...new Set(outcome.directives)].sort()).toEqual(['script-src-attr', 'script-src-elem', 'style-src-attr']);
    // The console watch the previous test relies on sees violations.
    expect(bob.cspViolations.length).toBeGreaterThanOrEqual(3);
  });
});
