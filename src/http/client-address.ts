import { isIPv4, isIPv6 } from 'node:net';
import type { Context } from 'hono';

/** What a request's source is called when it has none (in-process `app.request()` calls). */
export const UNKNOWN_SOURCE = 'unknown';

/**
 * The network source of a request, as a key for per-source throttling: the peer's IPv4
 * address, or the /64 prefix of its IPv6 address (one subscriber routinely holds a whole /64, so
 * counting single IPv6 addresses would give a guesser billions of fresh counters).
 *
 * `X-Forwarded-For` is read only when the peer is one of `trustedProxies` (exact addresses, as
 * `BEHALF_TRUSTED_PROXIES` lists them): then the source is the rightmost entry not itself a
 * trusted proxy — the entries to its left were written by the client and prove nothing. Without
 * trusted proxies the header is ignored, since anyone can send it.
 */
export function clientAddress(c: Context, trustedProxies: readonly string[] = []): string {
  let address = peerAddress(c);
  if (address !== undefined && trustedProxies.length > 0) {
    const trusted = new Set(trustedProxies.map(canonical));
    const forwarded = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    while (trusted.has(canonical(address)) && forwarded.length > 0) address = forwarded.pop() as string;
  }
  return address === undefined ? UNKNOWN_SOURCE : sourceKey(address);
}

/** The TCP peer, from the Node adapter's `incoming` request; none in in-process tests. */
function peerAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

function sourceKey(address: string): string {
  const text = canonical(address);
  if (isIPv4(text)) return text;
  if (!isIPv6(text)) return UNKNOWN_SOURCE;
  return `${expandIPv6(text).slice(0, 4).join(':')}::/64`;
}

/** IPv4-mapped IPv6 (`::ffff:192.0.2.1`, how a dual-stack socket reports IPv4) as plain IPv4. */
function canonical(address: string): string {
  const text = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  return mapped?.[1] ?? text;
}

/** The eight hextets of an IPv6 address, `::` expanded (a trailing dotted quad counts as two). */
function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const part = (text: string) => (text === '' ? [] : text.split(':'));
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  const width = (groups: string[]) => groups.reduce((sum, group) => sum + (group.includes('.') ? 2 : 1), 0);
  const zeros = Array.from({ length: Math.max(0, 8 - width(left) - width(right)) }, () => '0');
  return [...left, ...zeros, ...right].map((group) => (group.includes('.') ? group : group.replace(/^0+(?=.)/, '')));
}
