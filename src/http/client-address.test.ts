import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientAddress, UNKNOWN_SOURCE } from './client-address.ts';

/** The source `clientAddress` finds for a request from `peer` with `headers`. */
async function sourceOf(peer: string | undefined, headers: Record<string, string> = {}, trusted: string[] = []) {
  const app = new Hono();
  app.get('/', (c) => c.text(clientAddress(c, trusted)));
  const env = peer === undefined ? undefined : { incoming: { socket: { remoteAddress: peer } } };
  return (await app.request('/', { headers }, env)).text();
}

describe('clientAddress', () => {
  it('is the peer: IPv4 as is, IPv4-mapped IPv6 as IPv4, IPv6 as its /64', async () => {
    expect(await sourceOf('203.0.113.7')).toBe('203.0.113.7');
    expect(await sourceOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(await sourceOf('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(await sourceOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(await sourceOf('::1')).toBe('0:0:0:0::/64');
    expect(await sourceOf(undefined)).toBe(UNKNOWN_SOURCE);
  });

  it('reads X-Forwarded-For only from a trusted proxy, right to left, skipping trusted hops', async () => {
    const forwarded = { 'x-forwarded-for': '192.0.2.66, 198.51.100.7, 10.0.0.2' };
    expect(await sourceOf('203.0.113.7', forwarded)).toBe('203.0.113.7');
    expect(await sourceOf('10.0.0.1', forwarded, ['10.0.0.1', '10.0.0.2'])).toBe('198.51.100.7');
    expect(await sourceOf('10.0.0.1', {}, ['10.0.0.1'])).toBe('10.0.0.1');
  });
});
