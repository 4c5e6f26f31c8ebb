import type { MiddlewareHandler } from 'hono';

/**
 * Content-Security-Policy of the web UI (its `index.html` and assets). Vite emits the bundle as
 * external files (`/assets/*.js`, `/assets/*.css`), so no directive needs `'unsafe-inline'` or
 * `'unsafe-eval'`: an injected `<script>`, an inline event handler or a `style="…"` attribute in
 * markup never runs or applies. React's `style={…}` props are set through the CSSOM
 * (`element.style`), which `style-src` does not govern, so they keep working. `img-src data:` is
 * for the favicon (a `data:` SVG in `index.html`). `connect-src 'self'` covers the API and, in
 * CSP Level 3 browsers, the same-origin `ws:`/`wss:` socket. Form submissions stay on this
 * origin; sign-in with OIDC is a link (a navigation), which no directive restricts.
 * `test/e2e/content-security-policy.test.ts` proves the UI runs without a single violation.
 */
export const WEB_UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Content-Security-Policy of every API response (`/api`, `/oauth`, `/.well-known`): JSON is never
 * a document, so if a browser is ever tricked into rendering one (a sniffed type, a reflected
 * value) it may load nothing, run nothing and be framed by no one.
 */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Defensive headers on every response. They are set before the handler runs: touching a finished
 * response would make the Node adapter rebuild it, which costs more than a whole small handler
 * (so Hono's `secureHeaders`, which writes after `next()`, is not used; its HSTS default would
 * also pin plain-http demo hosts). `isApiPath` tells API responses from the web UI's.
 */
export function securityHeaders(isApiPath: (path: string) => boolean): MiddlewareHandler {
  return async (c, next) => {
    const api = isApiPath(c.req.path);
    c.header('Content-Security-Policy', api ? API_CSP : WEB_UI_CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    // Kept beside `frame-ancestors` for browsers that predate CSP Level 2.
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'same-origin');
    // A page this app opens in a new window (a link in an answer) gets no handle on ours.
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    if (c.req.path.startsWith('/api/')) c.header('Cache-Control', 'no-store');
    await next();
  };
}
