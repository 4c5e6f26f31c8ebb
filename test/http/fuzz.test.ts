import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/audit/verify.ts';
import type { ThreadWire } from '../../src/protocol/wire.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { testConnectorCredentials } from '../support/connector-credentials.ts';
import { createHttpFixture, type HttpFixture, type SignedIn } from './http-fixture.ts';

/**
 * Fuzzing every request schema (issue 3 point 6): malformed JSON, oversized bodies, wrong types,
 * unicode (lone surrogates included) and prototype-pollution keys. Whatever comes in, the answer
 * is a clean 2xx or a 4xx with the error shape — never a 500 — and nothing stored before is lost
 * or changed; the audit chain still verifies.
 */

const Q3 = ACME_THREAD.id;
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

const DANGEROUS_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];
const FIELD_KEYS = [
  'user',
  'title',
  'members',
  'mode',
  'agentGroups',
  'agentId',
  'text',
  'approve',
  'always',
  'type',
  'accessToken',
  'expiresAt',
];

const weirdString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', 'alice\u0000', '../../etc/passwd', '%00', 'A'.repeat(300), '@agent'),
);
const jsonish: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  weirdString,
  fc.double(),
  fc.bigInt().map(String),
);
/** Objects with the schema's own keys, dangerous keys and anything else, holding values of any type. */
const objectBody = fc.dictionary(
  fc.oneof(fc.constantFrom(...FIELD_KEYS, ...DANGEROUS_KEYS), fc.string({ maxLength: 12 })),
  jsonish,
  { maxKeys: 5 },
);
/** A raw request body: valid JSON of any shape, broken JSON, pollution attempts, huge bodies. */
const rawBody = fc.oneof(
  { weight: 5, arbitrary: objectBody.map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: jsonish.map((value) => JSON.stringify(value) ?? 'null') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  fc.constantFrom(
    '{"__proto__":{"admin":true},"user":"alice"}',
    '{"constructor":{"prototype":{"admin":true}},"title":"x"}',
    '{"user":"alice","user":"bob"}',
    '{"text":"hi"',
    '[]',
    'null',
    '{"text":"x"}'.padEnd(70_000, ' '),
    JSON.stringify({ text: 'y'.repeat(9000) }),
    JSON.stringify({ title: 'z'.repeat(201), members: [] }),
    JSON.stringify({ members: Array.from({ length: 600 }, () => 'alice'), title: 'big' }),
  ),
);
const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
  { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', '', 'application/jsonx') },
);
/** A path segment: ids of any shape, URL-encoded. */
const segment = fc
  .oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('..', '%2e%2e', 'thr_q3_planning', ''))
  .map((value) => encodeURIComponent(value));

describe('fuzzing every request schema', () => {
  let f: HttpFixture;
  let bob: SignedIn;
  let alice: SignedIn;
  let before: Awaited<ReturnType<typeof snapshot>>;

  async function snapshot() {
    const threadIds = new Set<string>();
    for (const user of ['alice', 'bob', 'carol']) {
      for (const thread of await f.app.store.threads.listForUser(user)) threadIds.add(thread.id);
    }
    return {
      messages: (await f.app.store.messages.list(Q3)).map((message) => JSON.stringify(message)),
      q3: JSON.stringify({ thread: await f.app.store.threads.get(Q3), members: await f.app.store.threads.members(Q3) }),
      threadIds,
      users: JSON.stringify(await f.app.store.users.list()),
      audit: (await f.app.store.audit.scan(0, 100_000)).map((record) => record.hash),
    };
  }

  /** The property every response must have: a clean 2xx/4xx, and the error shape on 4xx. */
  async function expectClean(response: Response, label: string): Promise<void> {
    const text = await response.text();
    expect(response.status, `${label} → ${response.status} ${text.slice(0, 200)}`).toBeLessThan(500);
    if (response.status >= 400) {
      const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
      expect(typeof body.error?.code, label).toBe('string');
      expect(typeof body.error?.message, label).toBe('string');
    }
  }

  beforeAll(async () => {
    f = await createHttpFixture((app) => ({
      agentInvocationsPerMinute: 3,
      connectors: {
        credentials: testConnectorCredentials(app),
        servers: [{ name: 'crm', resource: 'https://crm.example.com/mcp' }],
      },
    }));
    [alice, bob] = await Promise.all([f.signIn('alice'), f.signIn('bob')]);
    await f.call('POST', `/api/threads/${Q3}/messages`, { as: alice, body: { text: 'kept as it is' } });
    before = await snapshot();
  });
  afterAll(async () => {
    await f.close();
  });

  const bodyRoutes: Array<[method: string, route: string]> = [
    ['POST', '/api/session'],
    ['POST', '/api/threads'],
    ['PATCH', '/api/threads/:id'],
    ['POST', '/api/threads/:id/members'],
    ['POST', '/api/threads/:id/messages'],
    ['POST', '/api/approvals/:id'],
    ['POST', '/api/messages/:id/share'],
    ['PUT', '/api/connectors/:id'],
  ];

  it.each(bodyRoutes)('%s %s: any body, any content type → clean 2xx/4xx', async (method, route) => {
    const path = (id: string) => route.replace(':id', id);
    await fc.assert(
      fc.asyncProperty(
        rawBody,
        contentType,
        fc.constantFrom(Q3, 'thr_nope', 'apr_1', 'msg_1', 'crm'),
        async (body, type, id) => {
          const headers: Record<string, string> = { authorization: `Bearer ${bob.token}` };
          if (type) headers['content-type'] = type;
          const response = await f.http.request(path(id), { method, headers, body });
          await expectClean(response, `${method} ${path(id)} ${body.slice(0, 60)}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('any path parameter → clean 2xx/4xx', async () => {
    const templates = [
      (id: string) => `/api/threads/${id}`,
      (id: string) => `/api/threads/${id}/messages`,
      (id: string) => `/api/threads/${id}/approvals`,
      (id: string) => `/api/runs/${id}`,
      (id: string) => `/api/messages/${id}/share`,
      (id: string) => `/api/threads/${Q3}/members/${id}`,
      (id: string) => `/api/connectors/${id}`,
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...templates),
        segment,
        fc.constantFrom('GET', 'DELETE', 'POST', 'PUT'),
        async (template, id, method) => {
          const response = await f.call(method, template(id), {
            as: bob,
            ...(method === 'POST' || method === 'PUT' ? { body: {} } : {}),
          });
          await expectClean(response, `${method} ${template(id)}`);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('any query string → clean 2xx/4xx', async () => {
    const paths = [
      '/api/audit',
      '/api/audit/export',
      `/api/threads/${Q3}/messages`,
      '/api/threads',
      '/api/tools',
      '/api/connectors',
    ];
    const query = fc.array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom('user', 'thread', 'run', 'decision', 'after', 'limit', 'format', '__proto__'),
          fc.string({ maxLength: 8 }),
        ),
        weirdString,
      ),
      {
        maxLength: 4,
      },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), query, async (path, pairs) => {
        const search = new URLSearchParams(pairs).toString();
        const response = await f.call('GET', `${path}?${search}`, { as: bob });
        await expectClean(response, `GET ${path}?${search}`);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('nothing stored before was lost or changed, and the audit chain verifies', async () => {
    await f.app.drain();
    const after = await snapshot();
    expect(after.messages.slice(0, before.messages.length)).toEqual(before.messages);
    expect(after.q3).toBe(before.q3);
    for (const id of before.threadIds) expect(after.threadIds.has(id)).toBe(true);
    expect(after.users).toBe(before.users);
    expect(after.audit.slice(0, before.audit.length)).toEqual(before.audit);
    expect(await verifyChain(f.app.store.audit)).toMatchObject({ ok: true });
    // The thread bob may not manage kept its title and members; alice still reads it.
    const q3 = (await (await f.call('GET', `/api/threads/${Q3}`, { as: alice })).json()) as ThreadWire;
    expect(q3).toMatchObject({ title: 'Q3 planning', ownerId: 'alice' });
    expect(q3.members?.sort()).toEqual(['alice', 'bob', 'carol']);
    // No prototype was polluted along the way.
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});
