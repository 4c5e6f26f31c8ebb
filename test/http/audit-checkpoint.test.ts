import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuditCheckpointer } from '../../src/audit/audit-checkpointer.ts';
import { AuditCheckpoints } from '../../src/audit/audit-checkpoints.ts';
import type {
  AuditCheckpointResponse,
  AuditVerifyWithCheckpointResponse,
} from '../../src/protocol/audit-checkpoint-wire.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { editAndRecompute, readAuditRecords, rewriteFromGenesis, writeAuditRecords } from '../support/audit-rewrite.ts';
import { createHttpFixture, type HttpFixture, type SignedIn, settle } from './http-fixture.ts';

/**
 * Issue 7, item 5 (I6) through HTTP: `GET /api/audit/verify` compares the chain with the signed
 * checkpoints kept outside the database, and `GET /api/audit/checkpoint` serves the latest one
 * to auditors (to keep elsewhere as an anchor).
 */
describe('audit checkpoints over HTTP', () => {
  let f: HttpFixture;
  let directory: string;
  let path: string;
  let checkpoints: AuditCheckpoints;
  let ivy: SignedIn;
  let alice: SignedIn;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'behalf-http-checkpoints-'));
    path = join(directory, 'audit-checkpoints.jsonl');
    f = await createHttpFixture((app) => {
      checkpoints = new AuditCheckpoints({ path, secret: randomBytes(32), clock: app.clock });
      return { auditCheckpoints: checkpoints };
    });
    ivy = await f.signIn('ivy');
    alice = await f.signIn('alice');
    await f.call('POST', `/api/threads/${ACME_THREAD.id}/messages`, {
      as: alice,
      body: { text: '@agent what is in the Q3 plan?' },
    });
    await settle(f);
    expect(await f.app.store.audit.count()).toBeGreaterThan(2);
    f.app.store.db.exec('CREATE TABLE audit_backup AS SELECT * FROM audit_log');
  });
  afterEach(async () => {
    f.app.store.db.exec('DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM audit_backup');
    await rm(path, { force: true });
  });
  afterAll(async () => {
    await f.close();
    await rm(directory, { recursive: true, force: true });
  });

  const checkpointNow = async () => {
    await settle(f);
    const outcome = await new AuditCheckpointer({
      store: f.app.store.audit,
      checkpoints,
      intervalMs: 60_000,
    }).checkpoint();
    expect(outcome.kind).toBe('written');
  };
  const verify = async () => {
    const response = await f.call('GET', '/api/audit/verify', { as: ivy });
    expect(response.status).toBe(200);
    return (await response.json()) as AuditVerifyWithCheckpointResponse;
  };

  it('audit checkpoint route: auditors read the latest checkpoint and its anchor; others get 403', async () => {
    const before = (await (
      await f.call('GET', '/api/audit/checkpoint', { as: ivy })
    ).json()) as AuditCheckpointResponse;
    expect(before).toEqual({ checkpoint: null, anchor: null, problem: null });
    await checkpointNow();
    const count = await f.app.store.audit.count();
    const head = await f.app.store.audit.head();
    const after = (await (await f.call('GET', '/api/audit/checkpoint', { as: ivy })).json()) as AuditCheckpointResponse;
    expect(after).toMatchObject({
      checkpoint: { v: 1, seq: count, hash: head.hash },
      anchor: `${count}:${head.hash}`,
      problem: null,
    });
    expect((await f.call('GET', '/api/audit/checkpoint', { as: alice })).status).toBe(403);
  });

  it('audit verify route: keeps ok, count and head, adds the checkpoint, and passes after more appends', async () => {
    expect(await verify()).toMatchObject({ ok: true, checkpoint: null });
    await checkpointNow();
    const checkpointed = await f.app.store.audit.count();
    await f.call('POST', `/api/threads/${ACME_THREAD.id}/messages`, {
      as: alice,
      body: { text: '@agent and the headcount?' },
    });
    await settle(f);
    const result = await verify();
    expect(result).toMatchObject({
      ok: true,
      count: await f.app.store.audit.count(),
      head: (await f.app.store.audit.head()).hash,
      checkpoint: { ok: true, seq: checkpointed, checked: 1 },
    });
    expect(result.count).toBeGreaterThan(checkpointed);
  });

  it('audit verify route: an edit with the chain recomputed from there fails against the checkpoint', async () => {
    await checkpointNow();
    const count = await f.app.store.audit.count();
    const db = f.app.store.db;
    writeAuditRecords(
      db,
      editAndRecompute(readAuditRecords(db), 1, (record) => ({ ...record, requester: 'mallory' })),
    );
    expect(await verify()).toMatchObject({ ok: false, brokenAt: count, checkpoint: { ok: false, seq: count } });
  });

  it('audit verify route: a truncated tail fails against the checkpoint', async () => {
    await checkpointNow();
    const count = await f.app.store.audit.count();
    f.app.store.db.prepare('DELETE FROM audit_log WHERE seq = ?').run(count);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: count, checkpoint: { ok: false } });
  });

  it('audit verify route: a chain rewritten from genesis fails against the checkpoint', async () => {
    await checkpointNow();
    const db = f.app.store.db;
    writeAuditRecords(db, rewriteFromGenesis(readAuditRecords(db)));
    expect(await verify()).toMatchObject({ ok: false, checkpoint: { ok: false } });
  });

  it('audit verify route: a checkpoint line with a bad signature fails and is reported', async () => {
    await checkpointNow();
    const line = JSON.parse((await readFile(path, 'utf8')).trim());
    await writeFile(path, `${JSON.stringify({ ...line, mac: Buffer.alloc(32).toString('base64url') })}\n`);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: 0, checkpoint: { ok: false } });
    const served = (await (
      await f.call('GET', '/api/audit/checkpoint', { as: ivy })
    ).json()) as AuditCheckpointResponse;
    expect(served).toMatchObject({ checkpoint: null, problem: expect.stringMatching(/signature does not match/) });
  });
});
