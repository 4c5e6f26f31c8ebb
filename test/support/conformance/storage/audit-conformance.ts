import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../../src/audit/types.ts';
import { anAuditEntry, aThread, freshStoreFor, type OpenStore, recordHash, sha256Chain, T0 } from './store-fixtures.ts';

const GENESIS = { seq: 0, hash: '0'.repeat(64) };

/** AuditLogStore: atomic, serialized chained appends; exact round trips; queries and paging (I6). */
export function describeAuditConformance(open: OpenStore): void {
  const store = freshStoreFor(open);
  const append = (...ids: string[]) =>
    store().audit.appendChained(
      ids.map((id) => anAuditEntry(id)),
      sha256Chain,
    );

  describe('audit log', () => {
    it('starts empty at the genesis head', async () => {
      expect(await store().audit.head()).toEqual(GENESIS);
      expect(await store().audit.count()).toBe(0);
      expect(await store().audit.scan(0, 10)).toEqual([]);
    });

    it('appends the records the chain callback builds from the current head', async () => {
      const [first] = await append('a1');
      expect(first).toMatchObject({ seq: 1, prevHash: GENESIS.hash });
      const [second] = await append('a2');
      expect(second).toMatchObject({ seq: 2, prevHash: first?.hash });
      expect(await store().audit.head()).toEqual({ seq: 2, hash: second?.hash });
      expect(await store().audit.count()).toBe(2);
    });

    it('round-trips records exactly, keeping absent optional fields absent', async () => {
      const full = anAuditEntry('full', {
        reason: 'not cleared for hr-confidential',
        argsHash: 'a'.repeat(64),
        resultHash: 'b'.repeat(64),
        labels: [],
        callId: 'call-1',
        decision: 'deny',
        policies: ['deny-comp', 'default-deny'],
      });
      const bare = anAuditEntry('bare', { requester: null, agent: null, mode: 'direct', threadId: null, runId: null });
      const appended = await store().audit.appendChained([full, bare], sha256Chain);
      const stored = await store().audit.scan(0, 10);
      expect(stored).toEqual(appended);
      expect(Object.keys(stored[1] as AuditRecord)).not.toContain('labels');
      expect(Object.keys(stored[1] as AuditRecord)).not.toContain('reason');
      expect(stored[0]?.labels).toEqual([]);
      for (const record of stored) expect(recordHash(record)).toBe(record.hash);
    });

    it('appends a batch as contiguous records', async () => {
      await append('a1');
      const batch = await append('b1', 'b2', 'b3', 'b4', 'b5');
      expect(batch.map((record) => record.seq)).toEqual([2, 3, 4, 5, 6]);
      expect(await store().audit.count()).toBe(6);
    });

    it('appends nothing for an empty batch', async () => {
      await append('a1');
      const head = await store().audit.head();
      expect(await store().audit.appendChained([], sha256Chain)).toEqual([]);
      expect(await store().audit.head()).toEqual(head);
    });

    it('serializes 50 concurrent appends into one linear chain', async () => {
      const batches = await Promise.all(
        Array.from({ length: 50 }, (_, index) => {
          const ids = Array.from({ length: (index % 3) + 1 }, (_, offset) => `c${index}-${offset}`);
          return store().audit.appendChained(
            ids.map((id) => anAuditEntry(id)),
            sha256Chain,
          );
        }),
      );
      const total = batches.reduce((sum, batch) => sum + batch.length, 0);
      const records = await store().audit.scan(0, 1000);
      expect(records.map((record) => record.seq)).toEqual(Array.from({ length: total }, (_, index) => index + 1));
      let previous = GENESIS.hash;
      for (const record of records) {
        expect(record.prevHash).toBe(previous);
        expect(recordHash(record)).toBe(record.hash);
        previous = record.hash;
      }
      for (const batch of batches) {
        const seqs = batch.map((record) => record.seq);
        expect(seqs).toEqual(seqs.map((_, index) => (seqs[0] ?? 0) + index));
      }
    });

    it('stores nothing when the chain callback throws', async () => {
      await append('a1');
      const head = await store().audit.head();
      const failing = () => {
        throw new Error('hashing failed');
      };
      await expect(store().audit.appendChained([anAuditEntry('x')], failing)).rejects.toThrow('hashing failed');
      expect(await store().audit.head()).toEqual(head);
    });

    it('refuses records that do not extend the head, storing none of the batch', async () => {
      await append('a1');
      const skipping: typeof sha256Chain = (head, entries) => sha256Chain({ ...head, seq: head.seq + 1 }, entries);
      const forking: typeof sha256Chain = (head, entries) => sha256Chain({ ...head, hash: 'f'.repeat(64) }, entries);
      await expect(store().audit.appendChained([anAuditEntry('x')], skipping)).rejects.toThrow();
      await expect(store().audit.appendChained([anAuditEntry('y'), anAuditEntry('z')], forking)).rejects.toThrow();
      expect(await store().audit.count()).toBe(1);
    });

    it('pages through the log with scan', async () => {
      await append(...Array.from({ length: 25 }, (_, index) => `p${index}`));
      const pages: number[][] = [];
      let after = 0;
      for (;;) {
        const page = await store().audit.scan(after, 10);
        if (page.length === 0) break;
        pages.push(page.map((record) => record.seq));
        after = page[page.length - 1]?.seq ?? after;
      }
      expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
      expect(pages.flat()).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
    });

    it('filters queries by requester, thread, run, decision, action, afterSeq and limit', async () => {
      await store().audit.appendChained(
        [
          anAuditEntry('q1', { requester: 'alice', threadId: 'thr-1', runId: 'run-1', action: 'tool.call' }),
          anAuditEntry('q2', { requester: 'bob', threadId: 'thr-1', runId: 'run-2', decision: 'deny' }),
          anAuditEntry('q3', { requester: 'alice', threadId: 'thr-2', runId: 'run-3', action: 'document.retrieve' }),
          anAuditEntry('q4', { requester: null, threadId: null, runId: null, action: 'seed', mode: 'direct' }),
          anAuditEntry('q5', { requester: 'alice', threadId: 'thr-1', runId: 'run-1', decision: 'deny', at: T0 + 1 }),
        ],
        sha256Chain,
      );
      const ids = (records: AuditRecord[]) => records.map((record) => record.id);
      expect(ids(await store().audit.query({}))).toEqual(['q1', 'q2', 'q3', 'q4', 'q5']);
      expect(ids(await store().audit.query({ requester: 'alice' }))).toEqual(['q1', 'q3', 'q5']);
      expect(ids(await store().audit.query({ threadId: 'thr-1' }))).toEqual(['q1', 'q2', 'q5']);
      expect(ids(await store().audit.query({ runId: 'run-1' }))).toEqual(['q1', 'q5']);
      expect(ids(await store().audit.query({ decision: 'deny' }))).toEqual(['q2', 'q5']);
      expect(ids(await store().audit.query({ action: 'document.retrieve' }))).toEqual(['q3']);
      expect(ids(await store().audit.query({ afterSeq: 3 }))).toEqual(['q4', 'q5']);
      expect(ids(await store().audit.query({ limit: 2 }))).toEqual(['q1', 'q2']);
      expect(ids(await store().audit.query({ requester: 'alice', decision: 'deny', threadId: 'thr-1' }))).toEqual([
        'q5',
      ]);
      expect(ids(await store().audit.query({ requester: 'alice', afterSeq: 1, limit: 1 }))).toEqual(['q3']);
      expect(await store().audit.query({ requester: 'nobody' })).toEqual([]);
    });

    it('round-trips a statement and its hash, and hashes records without them as before', async () => {
      const [withStatement, without] = await store().audit.appendChained(
        [
          anAuditEntry('s1', {
            action: 'data.query',
            statement: 'SELECT name FROM employees WHERE id = ?',
            statementHash: 'c'.repeat(64),
          }),
          anAuditEntry('s2', { action: 'data.query', statementHash: 'd'.repeat(64) }),
        ],
        sha256Chain,
      );
      const stored = await store().audit.scan(0, 10);
      expect(stored).toEqual([withStatement, without]);
      expect(stored[1]).not.toHaveProperty('statement');
      for (const record of stored) expect(recordHash(record)).toBe(record.hash);
    });

    it('searches text case-insensitively in action, resource, reason, people, ids and statement (issue 11.6)', async () => {
      await store().audit.appendChained(
        [
          anAuditEntry('t1', { action: 'data.query', resource: 'sql:compensation', reason: '3 rows' }),
          anAuditEntry('t2', { action: 'document.retrieve', resource: 'document:handbook', requester: 'bob' }),
          anAuditEntry('t3', { action: 'data.query', resource: 'sql:deals', statement: 'SELECT amount FROM Deals' }),
          anAuditEntry('t4', { reason: 'budget 100% used', runId: 'run_7' }),
          anAuditEntry('t5', { reason: 'budget 1000 used', runId: 'run-7', requester: null, agent: null }),
        ],
        sha256Chain,
      );
      const ids = async (text: string) => (await store().audit.query({ text })).map((record) => record.id);
      expect(await ids('COMPENSATION')).toEqual(['t1']);
      expect(await ids('3 ROWS')).toEqual(['t1']);
      expect(await ids('bob')).toEqual(['t2']);
      expect(await ids('amount from deals')).toEqual(['t3']);
      expect(await ids('data.query')).toEqual(['t1', 't3']);
      // LIKE wildcards match only themselves.
      expect(await ids('100%')).toEqual(['t4']);
      expect(await ids('%')).toEqual(['t4']);
      expect(await ids('run_7')).toEqual(['t4']);
      expect(await ids('n_7')).toEqual(['t4']);
      expect(await ids('\\')).toEqual([]);
      expect(await ids('')).toEqual(['t1', 't2', 't3', 't4', 't5']);
    });

    it('matches thread titles only when asked, and lists the threads the log names', async () => {
      await store().threads.create(aThread('thr-1', { title: 'Q3 Planning' }), ['alice']);
      await store().threads.create(aThread('thr-2', { title: 'Hiring' }), ['alice']);
      await store().threads.create(aThread('thr-3', { title: 'Never audited' }), ['alice']);
      await store().audit.appendChained(
        [anAuditEntry('h1', { threadId: 'thr-1' }), anAuditEntry('h2', { threadId: 'thr-2' })],
        sha256Chain,
      );
      const ids = async (text: string, titles: boolean) =>
        (await store().audit.query({ text, textMatchesThreadTitles: titles })).map((record) => record.id);
      expect(await ids('q3 plan', true)).toEqual(['h1']);
      expect(await ids('q3 plan', false)).toEqual([]);
      expect(await ids('thr-2', false)).toEqual(['h2']);
      expect(await store().audit.threadsNamed()).toEqual([
        { id: 'thr-2', title: 'Hiring' },
        { id: 'thr-1', title: 'Q3 Planning' },
      ]);
    });

    it('filters by time (from inclusive, to exclusive) and pages newest first', async () => {
      await store().audit.appendChained(
        [0, 1, 2, 3, 4].map((offset) => anAuditEntry(`d${offset}`, { at: T0 + offset * 1000 })),
        sha256Chain,
      );
      const ids = (records: AuditRecord[]) => records.map((record) => record.id);
      expect(ids(await store().audit.query({ fromAt: T0 + 1000, toAt: T0 + 3000 }))).toEqual(['d1', 'd2']);
      expect(ids(await store().audit.query({ toAt: T0 }))).toEqual([]);
      expect(ids(await store().audit.query({ newestFirst: true, limit: 2 }))).toEqual(['d4', 'd3']);
      expect(ids(await store().audit.query({ newestFirst: true, beforeSeq: 4, limit: 2 }))).toEqual(['d2', 'd1']);
      expect(ids(await store().audit.query({ afterSeq: 1, beforeSeq: 4 }))).toEqual(['d1', 'd2']);
    });
  });
}
