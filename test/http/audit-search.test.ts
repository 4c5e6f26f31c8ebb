import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashRecord, normalizeRecord } from '../../src/audit/chain.ts';
import { DEFAULT_POLICY_DIR, loadPolicyDirectory } from '../../src/policy/policy-loader.ts';
import type {
  AuditRecordWire,
  AuditResponse,
  AuditThreadsResponse,
  AuditVerifyResponse,
} from '../../src/protocol/wire.ts';
import { sha256Hex } from '../../src/shared/hash.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { createHttpFixture, type HttpFixture, type SignedIn, settle } from './http-fixture.ts';

// Issue 11 point 6: auditors can find things. Text search, date range and action filters; thread
// titles for auditors only; export honours the filters; the SQL statement's shape or its hash.

const Q3 = ACME_THREAD.id;
const SALARY_SQL =
  'SELECT e.name, c.salary FROM compensation c JOIN employees e ON e.id = c.employee_id WHERE c.salary > 180000';
const DIRECTORY_SQL = "SELECT name, title FROM employees WHERE department = 'Sales'";

async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

async function errorCode(response: Response, status: number): Promise<string> {
  return (await json<{ error: { code: string } }>(response, status)).error.code;
}

async function askSql(f: HttpFixture, as: SignedIn, sql: string): Promise<void> {
  const response = await f.call('POST', `/api/threads/${Q3}/messages`, { as, body: { text: `@agent /sql ${sql}` } });
  expect(response.status).toBe(201);
  await settle(f);
}

describe('audit search and filters (issue 11.6)', () => {
  let f: HttpFixture;
  let alice: SignedIn;
  let bob: SignedIn;
  let ivy: SignedIn;
  const records = async (query: string, as: SignedIn) =>
    (
      await json<AuditResponse>(
        await f.call('GET', `/api/audit?${query.includes('limit=') ? '' : 'limit=1000&'}${query}`, { as }),
        200,
      )
    ).records;

  beforeAll(async () => {
    f = await createHttpFixture({ agentInvocationsPerMinute: 1000 });
    [alice, bob, ivy] = await Promise.all([f.signIn('alice'), f.signIn('bob'), f.signIn('ivy')]);
    await askSql(f, alice, SALARY_SQL);
    await askSql(f, bob, DIRECTORY_SQL);
  }, 60_000);
  afterAll(() => f.close());

  it('text search matches action, resource, reason and statement, case-insensitively', async () => {
    const found = await records('q=COMPENSATION', ivy);
    expect(found.length).toBeGreaterThan(0);
    for (const record of found) {
      expect(JSON.stringify([record.action, record.resource, record.reason, record.statement]).toLowerCase()).toContain(
        'compensation',
      );
    }
    expect((await records('q=data.query', ivy)).every((record) => record.action === 'data.query')).toBe(true);
  });

  it('text search takes % and _ literally (LIKE wildcards are escaped)', async () => {
    expect(await records(`q=${encodeURIComponent('%')}`, ivy)).toEqual([]);
    expect(await records(`q=${encodeURIComponent('sql:_')}`, ivy)).toEqual([]);
    expect((await records(`q=${encodeURIComponent('q3_planning')}`, ivy)).length).toBeGreaterThan(0);
  });

  it('auditors also find records by their thread’s title; others never through titles', async () => {
    const byTitle = await records(`q=${encodeURIComponent('q3 PLANNING')}`, ivy);
    expect(byTitle.length).toBeGreaterThan(0);
    expect(byTitle.every((record) => record.threadId === Q3)).toBe(true);
    // Alice's own Q3 records do not mention the title: without title matching she finds none.
    expect(await records(`q=${encodeURIComponent('q3 planning')}`, alice)).toEqual([]);
  });

  it('filters by action, and combines every filter with AND', async () => {
    const queries = await records('action=data.query', ivy);
    expect(queries.map((record) => record.requester).sort()).toEqual(['alice', 'bob']);
    const alices = await records(`action=data.query&user=alice&thread=${Q3}&decision=allow&q=salary`, ivy);
    expect(alices).toHaveLength(1);
    expect(await records('action=data.query&user=alice&q=department', ivy)).toEqual([]);
  });

  it('filters by date range: from inclusive, to exclusive; epoch ms or ISO 8601', async () => {
    const all = await records('', ivy);
    const middle = all[Math.floor(all.length / 2)] as AuditRecordWire;
    const from = await records(`from=${middle.at}`, ivy);
    expect(from.length).toBeGreaterThan(0);
    expect(from.every((record) => record.at >= middle.at)).toBe(true);
    const before = await records(`to=${middle.at}`, ivy);
    expect(before.every((record) => record.at < middle.at)).toBe(true);
    expect(from.length + before.length).toBe(all.length);
    expect(await records('to=2000-01-01', ivy)).toEqual([]);
    expect(await records('from=2000-01-01T00:00:00Z', ivy)).toHaveLength(all.length);
    expect(await errorCode(await f.call('GET', '/api/audit?from=yesterday', { as: ivy }), 400)).toBe(
      'validation_failed',
    );
  });

  it('pages newest first with order=desc and before', async () => {
    const all = await records('', ivy);
    const newest = await records('order=desc&limit=3', ivy);
    expect(newest.map((record) => record.seq)).toEqual(
      all
        .slice(-3)
        .reverse()
        .map((record) => record.seq),
    );
    const older = await records(`order=desc&limit=2&before=${newest.at(-1)?.seq}`, ivy);
    expect(older.map((record) => record.seq)).toEqual([(newest.at(-1)?.seq ?? 0) - 1, (newest.at(-1)?.seq ?? 0) - 2]);
  });

  it('non-auditors see only their own records whatever they filter by, and 403 for someone else', async () => {
    for (const query of ['', `thread=${Q3}`, 'action=data.query', 'q=compensation', 'q=alice']) {
      const found = await records(query, bob);
      expect(found.every((record) => record.requester === 'bob')).toBe(true);
    }
    expect(await errorCode(await f.call('GET', '/api/audit?user=alice&q=salary', { as: bob }), 403)).toBe('forbidden');
  });

  it('GET /api/audit/threads: titles of every thread the log names, for auditors only', async () => {
    const { threads } = await json<AuditThreadsResponse>(await f.call('GET', '/api/audit/threads', { as: ivy }), 200);
    expect(threads).toContainEqual({ id: Q3, title: ACME_THREAD.title });
    // ivy is not a member of Q3 planning, yet filters by it.
    expect((await records(`thread=${Q3}`, ivy)).length).toBeGreaterThan(0);
    for (const who of [alice, bob]) {
      expect(await errorCode(await f.call('GET', '/api/audit/threads', { as: who }), 403)).toBe('forbidden');
    }
    expect((await f.call('GET', '/api/audit/threads')).status).toBe(401);
    expect(await errorCode(await f.call('GET', '/api/audit/threads?all=1', { as: ivy }), 400)).toBe(
      'validation_failed',
    );
  });

  it('export honours the active filters, and never widens a non-auditor’s view', async () => {
    const exported = async (query: string, as: SignedIn) => {
      const response = await f.call('GET', `/api/audit/export?${query}`, { as });
      expect(response.status).toBe(200);
      return (await response.text())
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as AuditRecordWire);
    };
    const query = `action=data.query&q=salary&thread=${Q3}`;
    const page = await records(query, ivy);
    const lines = await exported(query, ivy);
    expect(lines.map((record) => record.seq)).toEqual(page.map((record) => record.seq));
    expect(lines.length).toBe(1);
    const spans = await exported(`format=otel&${query}`, ivy);
    expect(spans).toHaveLength(1);
    const all = await exported('', ivy);
    expect(all).toHaveLength(await f.app.store.audit.count());
    const bobs = await exported('q=sql', bob);
    expect(bobs.length).toBeGreaterThan(0);
    expect(bobs.every((record) => record.requester === 'bob')).toBe(true);
    expect(await errorCode(await f.call('GET', '/api/audit/export?user=alice', { as: bob }), 403)).toBe('forbidden');
  });

  it('a data.query record carries the statement’s shape (no literal) and its hash; the chain verifies', async () => {
    const [salary] = await records('action=data.query&user=alice', ivy);
    expect(salary?.statement).toBe(
      'SELECT e.name, c.salary FROM compensation c JOIN employees e ON e.id = c.employee_id WHERE c.salary > ?',
    );
    expect(salary?.statementHash).toBe(sha256Hex(SALARY_SQL));
    expect(JSON.stringify(salary)).not.toContain('180000');
    const [directory] = await records('action=data.query&user=bob', ivy);
    expect(directory?.statement).toBe('SELECT name, title FROM employees WHERE department = ?');
    // The new fields are covered by the record's hash.
    const { hash, ...unhashed } = salary as AuditRecordWire;
    expect(hashRecord(normalizeRecord(unhashed))).toBe(hash);
    expect(hashRecord(normalizeRecord({ ...unhashed, statement: 'SELECT 1' }))).not.toBe(hash);
    const verified = await json<AuditVerifyResponse>(await f.call('GET', '/api/audit/verify', { as: ivy }), 200);
    expect(verified).toMatchObject({ ok: true });
  });
});

describe('statement or hash, as policy says (issue 11.6)', () => {
  let f: HttpFixture;

  beforeAll(async () => {
    const policies = {
      ...(await loadPolicyDirectory(DEFAULT_POLICY_DIR)),
      'statements-hash-only-for-hr-confidential': `@id("statements-hash-only-for-hr-confidential")
forbid (principal, action == Action::"recordStatement", resource is Label)
when { resource.kind == "hr-confidential" };`,
    };
    f = await createHttpFixture({ agentInvocationsPerMinute: 1000 }, { policies });
  }, 60_000);
  afterAll(() => f.close());

  it('keeps only the hash when policy forbids recordStatement for a label the statement read', async () => {
    const [alice, bob, ivy] = await Promise.all([f.signIn('alice'), f.signIn('bob'), f.signIn('ivy')]);
    await askSql(f, alice, SALARY_SQL);
    await askSql(f, bob, DIRECTORY_SQL);
    const { records } = await json<AuditResponse>(
      await f.call('GET', '/api/audit?action=data.query', { as: ivy }),
      200,
    );
    const salary = records.find((record) => record.requester === 'alice');
    const directory = records.find((record) => record.requester === 'bob');
    expect(salary?.labels).toContain('hr-confidential');
    expect(salary?.statement).toBeUndefined();
    expect(salary?.statementHash).toBe(sha256Hex(SALARY_SQL));
    expect(directory?.statement).toBe('SELECT name, title FROM employees WHERE department = ?');
    const verified = await json<AuditVerifyResponse>(await f.call('GET', '/api/audit/verify', { as: ivy }), 200);
    expect(verified).toMatchObject({ ok: true });
  });
});
