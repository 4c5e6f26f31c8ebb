import { beforeEach, describe, expect, it } from 'vitest';
import { sqlCallEntry } from '../../test/support/audit-fixtures.ts';
import { MemoryAuditLogStore } from '../../test/support/memory-audit-store.ts';
import { ManualClock } from '../shared/clock.ts';
import { sequentialIds } from '../shared/ids.ts';
import { AuditLog } from './audit-log.ts';
import { hashRecord, normalizeRecord } from './chain.ts';
import { verifyChain } from './verify.ts';

describe('audit chain tamper detection (I6)', () => {
  let store: MemoryAuditLogStore;

  beforeEach(async () => {
    store = new MemoryAuditLogStore();
    const log = new AuditLog(store, new ManualClock(), sequentialIds());
    for (const requester of ['alice', 'bob', 'carol', 'dana', 'erin']) {
      await log.append(sqlCallEntry(requester, requester === 'carol' ? 'deny' : 'allow'));
    }
  });

  it('verifies an untouched chain and reports its head', async () => {
    const result = await verifyChain(store);
    expect(result).toEqual({ ok: true, count: 5, head: store.records[4]?.hash });
  });

  it('detects an edited field', async () => {
    store.records[2]!.decision = 'allow';
    expect(await verifyChain(store)).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('detects an edited record whose own hash was recomputed', async () => {
    const record = store.records[1]!;
    record.requester = 'mallory';
    record.hash = hashRecord(normalizeRecord(record));
    expect(await verifyChain(store)).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('detects a deleted record', async () => {
    store.records.splice(1, 1);
    expect(await verifyChain(store)).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('detects an inserted record', async () => {
    const forged = { ...store.records[1]!, id: 'forged', requester: 'mallory' };
    store.records.splice(2, 0, forged);
    expect(await verifyChain(store)).toMatchObject({ ok: false });
  });

  it('detects reordered records even when seq numbers are swapped back', async () => {
    const [a, b] = [store.records[1]!, store.records[2]!];
    store.records[1] = { ...b, seq: 2 };
    store.records[2] = { ...a, seq: 3 };
    expect(await verifyChain(store)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('detects a truncated tail only against an anchor kept outside the database', async () => {
    const anchor = { seq: 5, hash: store.records[4]!.hash };
    store.records.splice(3, 2);
    expect(await verifyChain(store)).toMatchObject({ ok: true, count: 3 });
    expect(await verifyChain(store, { anchor })).toMatchObject({ ok: false, brokenAt: 4 });
  });
});
