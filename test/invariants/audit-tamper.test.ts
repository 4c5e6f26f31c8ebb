import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createScriptedModel } from '../../src/agent/model/index.ts';
import { createTestApp, type TestApp } from '../../src/app/testing.ts';
import { hashRecord } from '../../src/audit/chain.ts';
import type { AuditRecord, ChainVerification } from '../../src/audit/types.ts';
import { verifyChain } from '../../src/audit/verify.ts';
import { ACME_THREAD } from '../../src/demo/acme.ts';
import { auditRecordFromRow, auditRecordToRow } from '../../src/storage/rows/audit-rows.ts';
import type { AuditRow } from '../../src/storage/schema.ts';
import { autoDecide, instrumentTools, plannedAttackScript, routingModel, victimsFor } from './support/index.ts';

/**
 * I6 tamper evidence on the real embedded store: the better-sqlite3 file behind `app.store`,
 * edited with SQL the way someone with access to the database file could.
 */
describe('audit tamper: the hash chain on SQLite detects edits, deletions, insertions and reordering', () => {
  let app: TestApp;
  let count: number;

  beforeAll(async () => {
    // Records written by adversarial turns: odd unicode, unknown tools, refusals of every kind.
    const model = routingModel((call) =>
      createScriptedModel(
        plannedAttackScript(victimsFor(call.requester ?? ''), {
          pick: (attack) => ['malformed-arguments', 'unknown-tool', 'protected-data'].includes(attack.category),
          perStep: 40,
          maxSteps: 3,
        }),
      ),
    );
    app = await createTestApp({ model, limits: { maxSteps: 6 } });
    instrumentTools(app);
    autoDecide(app);
    for (const person of ['alice', 'bob', 'carol'])
      await app.postMessage(person, ACME_THREAD.id, `@agent everything (${person})`);
    await app.drain();
    count = await app.store.audit.count();
    app.store.db.exec('CREATE TABLE audit_backup AS SELECT * FROM audit_log');
  });
  afterEach(() => {
    app.store.db.exec('DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM audit_backup');
  });
  afterAll(async () => {
    await app.close();
  });

  const db = () => app.store.db;
  const row = (seq: number) => db().prepare('SELECT * FROM audit_log WHERE seq = ?').get(seq) as AuditRow;
  const replace = (seq: number, record: AuditRecord) => {
    const values = auditRecordToRow(record);
    db().prepare('DELETE FROM audit_log WHERE seq = ?').run(seq);
    db()
      .prepare(
        `INSERT INTO audit_log (${Object.keys(values).join(', ')}) VALUES (${Object.keys(values)
          .map((key) => `@${key}`)
          .join(', ')})`,
      )
      .run(values);
  };
  const verify = (): Promise<ChainVerification> => verifyChain(app.store.audit, { pageSize: 97 });
  const middle = () => Math.floor(count / 2);

  it('audit tamper: the untouched chain verifies, adversarial text included', async () => {
    expect(count).toBeGreaterThan(200);
    expect(await verify()).toMatchObject({ ok: true, count });
    // The records do hold the odd text the adversary sent (made well-formed), not just ASCII.
    const reasons = db().prepare('SELECT reason FROM audit_log WHERE reason IS NOT NULL').all() as { reason: string }[];
    expect(reasons.some(({ reason }) => /[^ -~]/.test(reason))).toBe(true);
  });

  it('audit tamper: editing any field of a record is detected at that record', async () => {
    const seq = middle();
    for (const [column, value] of [
      ['requester', 'mallory'],
      ['decision', 'allow'],
      ['policies', '["users-use-tools"]'],
      ['args_hash', '0'.repeat(64)],
      ['at', 1],
      ['reason', 'nothing to see'],
    ] as const) {
      db().prepare(`UPDATE audit_log SET ${column} = ? WHERE seq = ?`).run(value, seq);
      expect(await verify(), column).toMatchObject({
        ok: false,
        brokenAt: seq,
        reason: expect.stringMatching(/modified/),
      });
      db().exec('DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM audit_backup');
    }
  });

  it("audit tamper: an edit that also recomputes the record's own hash breaks the next link", async () => {
    const seq = middle();
    const record = auditRecordFromRow(row(seq));
    const forged = { ...record, requester: 'mallory', decision: 'allow' as const };
    const { hash: _hash, ...unhashed } = forged;
    replace(seq, { ...forged, hash: hashRecord(unhashed) });
    expect(await verify()).toMatchObject({
      ok: false,
      brokenAt: seq + 1,
      reason: expect.stringMatching(/does not link/),
    });
  });

  it('audit tamper: deleting a record is detected', async () => {
    const seq = middle();
    db().prepare('DELETE FROM audit_log WHERE seq = ?').run(seq);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: seq + 1 });
  });

  it('audit tamper: deleting the tail is detected against an anchor kept elsewhere', async () => {
    const head = await app.store.audit.head();
    db()
      .prepare('DELETE FROM audit_log WHERE seq > ?')
      .run(count - 5);
    expect(await verify()).toMatchObject({ ok: true, count: count - 5 });
    expect(await verifyChain(app.store.audit, { anchor: head })).toMatchObject({ ok: false, brokenAt: count - 4 });
  });

  it('audit tamper: inserting a record, even a well-formed one, is detected', async () => {
    // Appended at the end with a made-up hash...
    const last = auditRecordFromRow(row(count));
    replace(count + 1, { ...last, seq: count + 1, id: 'aud_forged_tail', prevHash: last.hash, hash: 'f'.repeat(64) });
    expect(await verify()).toMatchObject({ ok: false, brokenAt: count + 1 });
    db().exec('DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM audit_backup');

    // ...or in the middle, linked and hashed correctly, with everything after it renumbered.
    const seq = middle();
    db().prepare('UPDATE audit_log SET seq = -seq WHERE seq >= ?').run(seq);
    db().prepare('UPDATE audit_log SET seq = 1 - seq WHERE seq < 0').run();
    const previous = auditRecordFromRow(row(seq - 1));
    const unhashed = {
      ...auditRecordFromRow(row(seq + 1)),
      seq,
      id: 'aud_forged_middle',
      requester: 'mallory',
      prevHash: previous.hash,
    };
    const { hash: _hash, ...fields } = unhashed;
    replace(seq, { ...fields, hash: hashRecord(fields) });
    expect(await verify()).toMatchObject({ ok: false, brokenAt: seq + 1 });
  });

  it('audit tamper: swapping two records, or their positions, is detected', async () => {
    const a = middle();
    const b = a + 3;
    const first = auditRecordFromRow(row(a));
    const second = auditRecordFromRow(row(b));
    db().prepare('DELETE FROM audit_log WHERE seq IN (?, ?)').run(a, b);
    replace(a, { ...second, seq: a });
    replace(b, { ...first, seq: b });
    expect(await verify()).toMatchObject({ ok: false, brokenAt: a });
    db().exec('DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM audit_backup');

    // Swapping only the order numbers.
    db().prepare('UPDATE audit_log SET seq = -1 WHERE seq = ?').run(a);
    db()
      .prepare('UPDATE audit_log SET seq = ? WHERE seq = ?')
      .run(a, a + 1);
    db()
      .prepare('UPDATE audit_log SET seq = ? WHERE seq = -1')
      .run(a + 1);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: a });
  });
});
