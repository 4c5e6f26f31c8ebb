import { describe, expect, it } from 'vitest';
import { MemoryAuditLogStore } from '../../test/support/memory-audit-store.ts';
import { ManualClock } from '../shared/clock.ts';
import { sequentialIds } from '../shared/ids.ts';
import { AuditLog } from './audit-log.ts';
import type { AuditEntry } from './types.ts';
import { verifyChain } from './verify.ts';

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  requester: 'alice',
  agent: 'behalf-agent',
  mode: 'user',
  threadId: 'thr_1',
  runId: 'run_1',
  action: 'tool.call',
  resource: 'tool:sql',
  decision: 'allow',
  policies: ['tools-read'],
  argsHash: 'a'.repeat(64),
  ...overrides,
});

function makeLog() {
  const store = new MemoryAuditLogStore();
  const log = new AuditLog(store, new ManualClock(), sequentialIds());
  return { store, log };
}

describe('AuditLog group commit', () => {
  it('commits appends issued in one tick as one batch, in order, and chains them', async () => {
    const { store, log } = makeLog();
    let calls = 0;
    const original = store.commit.bind(store);
    store.commit = (batch, chain) => {
      calls += 1;
      return original(batch, chain);
    };
    const records = await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(entry({ resource: `r${i}` }))));
    expect(calls).toBe(1);
    expect(records.map((record) => record.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(records.map((record) => record.resource)).toEqual(Array.from({ length: 20 }, (_, i) => `r${i}`));
    expect(await verifyChain(store)).toMatchObject({ ok: true, count: 20 });
  });

  it('settles each append only after its batch is stored', async () => {
    const { store, log } = makeLog();
    const record = await log.append(entry());
    expect(store.records.map((stored) => stored.id)).toContain(record.id);
  });

  it('rejects every waiter with audit_unavailable when the store cannot write', async () => {
    const { store, log } = makeLog();
    store.failWrites = true;
    const results = await Promise.allSettled([log.append(entry()), log.append(entry())]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'audit_unavailable' });
    }
    store.failWrites = false;
    await expect(log.append(entry())).resolves.toMatchObject({ seq: 1 });
  });

  it('splits large bursts into batches no larger than maxBatch', async () => {
    const store = new MemoryAuditLogStore();
    const log = new AuditLog(store, new ManualClock(), sequentialIds(), 8);
    const sizes: number[] = [];
    const original = store.commit.bind(store);
    store.commit = (batch, chain) => {
      sizes.push(batch.entries.length);
      return original(batch, chain);
    };
    await Promise.all(Array.from({ length: 30 }, () => log.append(entry())));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(8);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(30);
    expect(await verifyChain(store)).toMatchObject({ ok: true, count: 30 });
  });
});
