/**
 * Just enough of a browser for login flows over `fetch`: a cookie jar per origin (paths are
 * ignored; the cookies involved have distinct names), redirects followed by hand so a test can
 * stop before one and tamper with it.
 */
export class TestBrowser {
  readonly cookies = new Map<string, Map<string, string>>();
  /** Every `Set-Cookie` header received, in order, for attribute checks. */
  readonly setCookieHeaders: string[] = [];

  /**
   * Requests `url` and follows redirects until a non-redirect response, or until the next URL
   * satisfies `stopBefore` (which is then returned unrequested as `stoppedAt`).
   */
  async navigate(
    url: string,
    options: { stopBefore?: (next: URL) => boolean; maxHops?: number } = {},
  ): Promise<{ response: Response | null; url: string; stoppedAt: URL | null; visited: string[] }> {
    let current = new URL(url);
    const visited: string[] = [];
    for (let hop = 0; hop < (options.maxHops ?? 20); hop++) {
      if (hop > 0 && options.stopBefore?.(current))
        return { response: null, url: current.href, stoppedAt: current, visited };
      visited.push(current.href);
      const response = await this.request(current.href);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        current = new URL(location, current);
        continue;
      }
      return { response, url: current.href, stoppedAt: null, visited };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** One request with this browser's cookies for that origin; stores the cookies it sets. */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(target.origin);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    for (const header of response.headers.getSetCookie()) this.store(target.origin, header);
    return response;
  }

  cookie(origin: string, name: string): string | undefined {
    return this.cookies.get(origin)?.get(name);
  }

  setCookie(origin: string, name: string, value: string): void {
    const jar = this.cookies.get(origin) ?? new Map<string, string>();
    jar.set(name, value);
    this.cookies.set(origin, jar);
  }

  private cookieHeader(origin: string): string {
    return [...(this.cookies.get(origin) ?? new Map<string, string>())]
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }

  private store(origin: string, header: string): void {
    this.setCookieHeaders.push(header);
    const [pair = '', ...attributes] = header.split(';');
    const separator = pair.indexOf('=');
    const name = pair.slice(0, separator).trim();
    const value = pair.slice(separator + 1).trim();
    const expired = attributes.some((attribute) => {
      const [key = '', val = ''] = attribute.trim().split('=');
      if (key.toLowerCase() === 'max-age') return Number(val) <= 0;
      if (key.toLowerCase() === 'expires') return Date.parse(val) <= Date.now();
      return false;
    });
    const jar = this.cookies.get(origin) ?? new Map<string, string>();
    if (expired || value === '') jar.delete(name);
    else jar.set(name, value);
    this.cookies.set(origin, jar);
  }
}
