import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_CSP, WEB_UI_CSP } from '../../src/http/middleware/security-headers.ts';
import { createHttpFixture, type HttpFixture, type SignedIn } from './http-fixture.ts';

/**
 * Issue 7 point 6: a strict Content-Security-Policy on the web UI (no inline script or style may
 * run) and on every API response, beside the other defensive headers. That the UI still works
 * under it in a browser is `test/e2e/content-security-policy.test.ts`.
 */
describe('security headers', () => {
  let f: HttpFixture;
  let alice: SignedIn;
  let webRoot: string;

  beforeAll(async () => {
    webRoot = await mkdtemp(join(tmpdir(), 'behalf-csp-'));
    await writeFile(join(webRoot, 'index.html'), '<!doctype html><script type="module" src="/app.js"></script>');
    await writeFile(join(webRoot, 'app.js'), 'export {};');
    f = await createHttpFixture({ webRoot });
    alice = await f.signIn('alice');
  });
  afterAll(async () => {
    await f?.close();
    await rm(webRoot, { recursive: true, force: true });
  });

  const directives = (policy: string | null) =>
    new Map(
      (policy ?? '').split(';').map((directive) => {
        const [name = '', ...values] = directive.trim().split(/\s+/);
        return [name, values];
      }),
    );

  it('the web UI forbids inline scripts and styles, eval, plugins, framing and foreign origins', async () => {
    for (const path of ['/', '/app.js', '/threads/thr_q3']) {
      const response = await f.call('GET', path);
      expect(response.status).toBe(200);
      const policy = response.headers.get('content-security-policy');
      expect(policy).toBe(WEB_UI_CSP);
      const parsed = directives(policy);
      expect(parsed.get('script-src')).toEqual(["'self'"]);
      expect(parsed.get('style-src')).toEqual(["'self'"]);
      expect(parsed.get('object-src')).toEqual(["'none'"]);
      expect(parsed.get('frame-ancestors')).toEqual(["'none'"]);
      expect(parsed.get('base-uri')).toEqual(["'none'"]);
      expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    }
  });

  it('every API response, refusals included, carries a CSP that allows nothing', async () => {
    const responses = [
      await f.call('GET', '/api/me', { as: alice }),
      await f.call('GET', '/api/me'),
      await f.call('GET', '/api/no-such-route', { as: alice }),
      await f.call('POST', '/oauth/token', { body: 'grant_type=x' }),
      await f.call('GET', '/.well-known/oauth-authorization-server'),
    ];
    for (const response of responses) {
      expect(response.headers.get('content-security-policy')).toBe(API_CSP);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
    }
    expect(directives(API_CSP).get('default-src')).toEqual(["'none'"]);
    expect(responses[0]?.headers.get('cache-control')).toBe('no-store');
  });
});
