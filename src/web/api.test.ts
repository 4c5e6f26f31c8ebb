import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, auditQuery } from './api.ts';

function fakeFetch(responses: Record<string, () => Response>) {
  const calls: Array<{ path: string; init: RequestInit }> = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = String(input);
    calls.push({ path, init: init ?? {} });
    const key = `${init?.method ?? 'GET'} ${path.split('?')[0]}`;
    const respond = responses[key];
    if (!respond) throw new Error(`unexpected ${key}`);
    return respond();
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('ApiClient', () => {
  it('sends the CSRF token from sign-in on unsafe requests only', async () => {
    const user = { id: 'alice', name: 'Alice Chen', title: 'HR director', groups: ['hr'] };
    const { fetch, calls } = fakeFetch({
      'POST /api/session': () => json({ user, token: 't', csrfToken: 'csrf-1' }),
      'GET /api/threads': () => json({ threads: [] }),
      'POST /api/threads/thr_1/messages': () => json({ message: { id: 'm' } }, 201),
    });
    const api = new ApiClient({ onUnauthenticated: () => {}, fetch });
    await api.signIn('alice');
    await api.threads();
    await api.postMessage('thr_1', 'hello');
    const headers = calls.map((call) => (call.init.headers as Record<string, string>)['x-csrf-token']);
    expect(headers).toEqual([undefined, undefined, 'csrf-1']);
    expect(JSON.parse(String(calls[2]?.init.body))).toEqual({ text: 'hello' });
  });

  it('turns error bodies into ApiError with the stable code and calls back on 401', async () => {
    const onUnauthenticated = vi.fn();
    const { fetch } = fakeFetch({
      'GET /api/me': () => json({ error: { code: 'unauthenticated', message: 'Sign in first' } }, 401),
      'POST /api/messages/m1/share': () => json({ error: { code: 'forbidden', message: 'Policy forbids it' } }, 403),
    });
    const api = new ApiClient({ onUnauthenticated, fetch });
    await expect(api.me()).rejects.toMatchObject({ status: 401, code: 'unauthenticated', message: 'Sign in first' });
    expect(onUnauthenticated).toHaveBeenCalledOnce();
    const refused = await api.share('m1', 'v1').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 403, code: 'forbidden', message: 'Policy forbids it' });
    expect(onUnauthenticated).toHaveBeenCalledOnce();
  });

  it('escapes path segments and leaves empty audit filters out of the query', async () => {
    const { fetch, calls } = fakeFetch({
      'GET /api/runs/run%2F..%2Fx': () => json({ id: 'r' }),
      'GET /api/audit': () => json({ records: [] }),
    });
    const api = new ApiClient({ onUnauthenticated: () => {}, fetch });
    await api.run('run/../x');
    await api.audit({ user: 'bob', thread: '', decision: 'deny' });
    expect(calls[1]?.path).toBe('/api/audit?user=bob&decision=deny&order=desc&limit=200');
  });

  it('sends a local day range as millisecond bounds (to exclusive) and the same filters to the export (issue 11.6)', async () => {
    const query = auditQuery({ q: ' salary ', from: '2026-03-01', to: '2026-03-02', action: 'data.query', run: '' });
    expect(query.get('q')).toBe('salary');
    expect(Number(query.get('from'))).toBe(new Date(2026, 2, 1).getTime());
    expect(Number(query.get('to'))).toBe(new Date(2026, 2, 3).getTime());
    expect(query.has('run')).toBe(false);
    expect(auditQuery({ from: 'yesterday' }).has('from')).toBe(false);

    const { fetch, calls } = fakeFetch({ 'GET /api/audit/export': () => new Response('') });
    const api = new ApiClient({ onUnauthenticated: () => {}, fetch });
    await api.exportAudit('otel', { action: 'data.query', thread: 'thr_1' });
    expect(calls[0]?.path).toBe('/api/audit/export?action=data.query&thread=thr_1&format=otel');
  });
});
