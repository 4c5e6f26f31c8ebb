import { randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqlCallEntry } from '../../test/support/audit-fixtures.ts';
import { MemoryAuditLogStore } from '../../test/support/memory-audit-store.ts';
import { ManualClock } from '../shared/clock.ts';
import { sequentialIds } from '../shared/ids.ts';
import { AuditCheckpointer } from './audit-checkpointer.ts';
import { AuditCheckpoints } from './audit-checkpoints.ts';
import { AuditLog } from './audit-log.ts';
import { chainRecords, GENESIS_HASH, hashRecord } from './chain.ts';
import { createCheckpointSigner } from './checkpoint-signer.ts';
import type { AuditRecord } from './types.ts';
import { verifyChain } from './verify.ts';
import { verifyAuditLog } from './verify-audit-log.ts';

/** Re-links and re-hashes every record from `index` on: what an operator of the database can do. */
function recomputeFrom(records: AuditRecord[], index: number): void {
  for (let i = index; i < records.length; i += 1) {
    const record = records[i] as AuditRecord;
    const { hash: _hash, ...unhashed } = { ...record, prevHash: records[i - 1]?.hash ?? GENESIS_HASH };
    records[i] = { ...unhashed, hash: hashRecord(unhashed) };
  }
}

describe('audit checkpoints: tamper evidence without a hand-kept anchor (I6, issue 7)', () => {
  let directory: string;
  let path: string;
  let store: MemoryAuditLogStore;
  let log: AuditLog;
  let clock: ManualClock;
  let secret: Uint8Array;
  let checkpoints: AuditCheckpoints;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'behalf-checkpoints-'));
    path = join(directory, 'audit-checkpoints.jsonl');
    store = new MemoryAuditLogStore();
    clock = new ManualClock();
    log = new AuditLog(store, clock, sequentialIds());
    secret = randomBytes(32);
    checkpoints = new AuditCheckpoints({ path, secret, clock });
    for (const requester of ['alice', 'bob', 'carol', 'dana', 'erin', 'frank']) {
      await log.append(sqlCallEntry(requester, requester === 'carol' ? 'deny' : 'allow'));
    }
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const checkpointer = () => new AuditCheckpointer({ store, checkpoints, intervalMs: 60_000 });

  it('audit checkpoints: an untouched chain verifies against its latest checkpoint', async () => {
    expect(await checkpointer().checkpoint()).toMatchObject({ kind: 'written', checkpoint: { seq: 6 } });
    const result = await verifyAuditLog(store, { checkpoints });
    expect(result).toMatchObject({ ok: true, count: 6, checkpoint: { ok: true, seq: 6, checked: 1 } });
  });

  it('audit checkpoints: records appended after the checkpoint still verify', async () => {
    await checkpointer().checkpoint();
    await log.append(sqlCallEntry('gus'));
    await log.append(sqlCallEntry('hank'));
    expect(await verifyAuditLog(store, { checkpoints })).toMatchObject({
      ok: true,
      count: 8,
      checkpoint: { ok: true, seq: 6 },
    });
  });

  it('audit checkpoints: an edit with the chain recomputed from there on is detected', async () => {
    await checkpointer().checkpoint();
    (store.records[2] as AuditRecord).decision = 'allow';
    recomputeFrom(store.records, 2);
    // On its own the recomputed chain is valid: this is what went unnoticed before checkpoints.
    expect(await verifyChain(store)).toMatchObject({ ok: true, count: 6 });
    expect(await verifyAuditLog(store, { checkpoints })).toMatchObject({
      ok: false,
      brokenAt: 6,
      reason: expect.stringMatching(/differs from the signed checkpoint/),
      checkpoint: { ok: false, seq: 6 },
    });
  });

  it('audit checkpoints: truncating the tail behind the checkpoint is detected', async () => {
    await checkpointer().checkpoint();
    store.records.splice(4);
    expect(await verifyChain(store)).toMatchObject({ ok: true, count: 4 });
    expect(await verifyAuditLog(store, { checkpoints })).toMatchObject({
      ok: false,
      brokenAt: 5,
      reason: expect.stringMatching(/ends at 4, before the signed checkpoint/),
      checkpoint: { ok: false, seq: 6 },
    });
  });

  it('audit checkpoints: a chain rewritten from genesis is detected', async () => {
    await checkpointer().checkpoint();
    // A whole new history of the same length, without carol's denial, correctly chained.
    const rewritten = chainRecords(
      { seq: 0, hash: GENESIS_HASH },
      store.records.map(({ seq: _seq, prevHash: _prev, hash: _hash, ...fields }) => ({
        ...fields,
        decision: 'allow' as const,
      })),
    );
    store.records.splice(0, store.records.length, ...rewritten);
    expect(await verifyChain(store)).toMatchObject({ ok: true, count: 6 });
    expect(await verifyAuditLog(store, { checkpoints })).toMatchObject({ ok: false, brokenAt: 6 });
  });

  it('audit checkpoints: every checkpoint is compared, not only the latest', async () => {
    const writer = checkpointer();
    await writer.checkpoint();
    await log.append(sqlCallEntry('gus'));
    await writer.checkpoint();
    (store.records[1] as AuditRecord).requester = 'mallory';
    recomputeFrom(store.records, 1);
    const result = await verifyAuditLog(store, { checkpoints });
    expect(result).toMatchObject({ ok: false, brokenAt: 6, checkpoint: { ok: false, seq: 7 } });
  });

  it('audit checkpoints: a checkpoint line with a bad signature fails verification', async () => {
    await checkpointer().checkpoint();
    const line = JSON.parse((await readFile(path, 'utf8')).trim());
    // The database operator's move: a checkpoint matching a rewritten chain, without the secret.
    await writeFile(path, `${JSON.stringify({ ...line, hash: 'a'.repeat(64) })}\n`);
    expect(await verifyAuditLog(store, { checkpoints })).toMatchObject({
      ok: false,
      brokenAt: 0,
      reason: expect.stringMatching(/line 1 .* cannot be trusted: its signature does not match/),
      checkpoint: { ok: false },
    });
  });

  it('audit checkpoints: a line signed with another secret fails verification', async () => {
    await checkpointer().checkpoint();
    const forged = createCheckpointSigner(randomBytes(32)).sign({ seq: 6, hash: 'b'.repeat(64) }, 0);
    await appendFile(path, `${JSON.stringify(forged)}\n`);
    expect(await verifyAuditLog(store, { checkpoints })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/line 2 .* signed with another secret key/),
    });
  });

  it('audit checkpoints: a line torn by a crash is skipped, and the next append starts a new line', async () => {
    await checkpointer().checkpoint();
    await appendFile(path, '{"v":1,"seq":6,"ha');
    await log.append(sqlCallEntry('gus'));
    expect(await checkpointer().checkpoint()).toMatchObject({ kind: 'written', checkpoint: { seq: 7 } });
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines).toHaveLength(4);
    expect(await verifyAuditLog(store, { checkpoints })).toMatchObject({
      ok: true,
      checkpoint: { ok: true, seq: 7, checked: 2 },
    });
  });

  it('audit checkpoints: with no checkpoint file, only the chain is checked (and no key is needed)', async () => {
    const noKey = new AuditCheckpoints({
      path,
      secret: () => Promise.reject(new Error('the key must not be loaded')),
      clock,
    });
    expect(await verifyAuditLog(store, { checkpoints: noKey })).toMatchObject({ ok: true, checkpoint: null });
  });

  it('audit checkpointer: writes only when the head moved', async () => {
    const writer = checkpointer();
    expect(await writer.checkpoint()).toMatchObject({ kind: 'written' });
    expect(await writer.checkpoint()).toEqual({ kind: 'unchanged', seq: 6 });
    await log.append(sqlCallEntry('gus'));
    expect(await writer.checkpoint()).toMatchObject({ kind: 'written', checkpoint: { seq: 7 } });
  });

  it('audit checkpointer: never signs a chain recomputed behind its last checkpoint', async () => {
    const problems: string[] = [];
    const writer = new AuditCheckpointer({
      store,
      checkpoints,
      intervalMs: 60_000,
      onProblem: (p) => problems.push(p),
    });
    await writer.checkpoint();
    (store.records[3] as AuditRecord).decision = 'deny';
    recomputeFrom(store.records, 3);
    await log.append(sqlCallEntry('gus'));
    expect(await writer.checkpoint()).toMatchObject({ kind: 'refused' });
    expect(await writer.checkpoint()).toMatchObject({ kind: 'refused' });
    expect(problems).toHaveLength(1);
    // A restarted process resumes from the file and refuses just the same.
    expect(await checkpointer().checkpoint()).toMatchObject({ kind: 'refused' });
    expect(await verifyAuditLog(store, { checkpoints })).toMatchObject({ ok: false, brokenAt: 6 });
  });

  it('audit checkpointer: never signs a chain whose new records do not verify', async () => {
    const writer = checkpointer();
    await writer.checkpoint();
    await log.append(sqlCallEntry('gus'));
    (store.records[6] as AuditRecord).decision = 'deny';
    expect(await writer.checkpoint()).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/record 7/) });
  });

  it('audit checkpointer: an empty log is not checkpointed', async () => {
    const empty = new MemoryAuditLogStore();
    const writer = new AuditCheckpointer({ store: empty, checkpoints, intervalMs: 60_000 });
    expect(await writer.checkpoint()).toEqual({ kind: 'unchanged', seq: 0 });
    await expect(readFile(path)).rejects.toThrow(/ENOENT/);
  });
});
