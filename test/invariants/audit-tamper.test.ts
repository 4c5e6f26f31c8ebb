import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashRecord } from '../../src/audit/chain.ts';
import type { AuditRecord, ChainVerification } from '../../src/audit/types.ts';
import { verifyChain } from '../../src/audit/verify.ts';
import { auditRecordFromRow, auditRecordToRow } from '../../src/storage/rows/audit-rows.ts';
import type { AuditRow } from '../../src/storage/schema.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { createScriptedModel } from '../support/models/index.ts';
import { createTestApp } from '../support/test-app.ts';
import {
  autoDecide,
  type InvariantApp,
  instrumentTools,
  plannedAttackScript,
  rawSql,
  routingModel,
  storesUnderTest,
  victimsFor,
} from './support/index.ts';

/**
 * I6 tamper evidence on the real stores: the database behind `app.store` (the better-sqlite3
 * file, or the PostgreSQL database of a scale-out deployment), edited with SQL the way someone
 * with access to it could.
 */
const SUITE = 'audit tamper: the hash chain detects edits, deletions, insertions and reordering';

describe.each(await storesUnderTest(SUITE))(`${SUITE} on %s`, (_kind, options) => {
  let app: InvariantApp;
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
    app = await createTestApp({ ...options, model, limits: { maxSteps: 6 } });
    instrumentTools(app);
    autoDecide(app);
    for (const person of ['alice', 'bob', 'carol'])
      await app.postMessage(person, ACME_THREAD.id, `@agent everything (${person})`);
    await app.drain();
    count = await app.store.audit.count();
    await db().run('CREATE TABLE audit_backup AS SELECT * FROM audit_log');
  });
  afterEach(async () => {
    await restore();
  });
  afterAll(async () => {
    await app.close();
  });

  const db = () => rawSql(app.store);
  const restore = () => db().run('DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM audit_backup');
  const row = async (seq: number) => {
    const [found] = await db().all<AuditRow>('SELECT * FROM audit_log WHERE seq = ?', [seq]);
    if (!found) throw new Error(`no audit record ${seq}`);
    return found;
  };
  const replace = async (seq: number, record: AuditRecord) => {
    const values = auditRecordToRow(record);
    await db().run('DELETE FROM audit_log WHERE seq = ?', [seq]);
    const columns = Object.keys(values);
    await db().run(
      `INSERT INTO audit_log (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      Object.values(values),
    );
  };
  const verify = (): Promise<ChainVerification> => verifyChain(app.store.audit, { pageSize: 97 });
  const middle = () => Math.floor(count / 2);

  it('audit tamper: the untouched chain verifies, adversarial text included', async () => {
    expect(count).toBeGreaterThan(200);
    expect(await verify()).toMatchObject({ ok: true, count });
    // The records do hold the odd text the adversary sent (made well-formed), not just ASCII.
    const reasons = await db().all<{ reason: string }>('SELECT reason FROM audit_log WHERE reason IS NOT NULL');
    expect(reasons.some(({ reason }) => /[^ -~]/.test(reason))).toBe(true);
  });

  it('audit tamper: editing any field of a record is detected at that record', async () => {
    const seq = middle();
    // The edit must change the value: flip the record's own decision.
    const [current] = await db().all<{ decision: string }>('SELECT decision FROM audit_log WHERE seq = ?', [seq]);
    for (const [column, value] of [
      ['requester', 'mallory'],
      ['decision', current?.decision === 'allow' ? 'deny' : 'allow'],
      ['policies', '["users-use-tools"]'],
      ['args_hash', '0'.repeat(64)],
      ['at', 1],
      ['reason', 'nothing to see'],
    ] as const) {
      await db().run(`UPDATE audit_log SET ${column} = ? WHERE seq = ?`, [value, seq]);
      expect(await verify(), column).toMatchObject({
        ok: false,
        brokenAt: seq,
        reason: expect.stringMatching(/modified/),
      });
      await restore();
    }
  });

  it("audit tamper: an edit that also recomputes the record's own hash breaks the next link", async () => {
    const seq = middle();
    const record = auditRecordFromRow(await row(seq));
    const forged = { ...record, requester: 'mallory', decision: 'allow' as const };
    const { hash: _hash, ...unhashed } = forged;
    await replace(seq, { ...forged, hash: hashRecord(unhashed) });
    expect(await verify()).toMatchObject({
      ok: false,
      brokenAt: seq + 1,
      reason: expect.stringMatching(/does not link/),
    });
  });

  it('audit tamper: deleting a record is detected', async () => {
    const seq = middle();
    await db().run('DELETE FROM audit_log WHERE seq = ?', [seq]);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: seq + 1 });
  });

  it('audit tamper: deleting the tail is detected against an anchor kept elsewhere', async () => {
    const head = await app.store.audit.head();
    await db().run('DELETE FROM audit_log WHERE seq > ?', [count - 5]);
    expect(await verify()).toMatchObject({ ok: true, count: count - 5 });
    expect(await verifyChain(app.store.audit, { anchor: head })).toMatchObject({ ok: false, brokenAt: count - 4 });
  });

  it('audit tamper: inserting a record, even a well-formed one, is detected', async () => {
    // Appended at the end with a made-up hash...
    const last = auditRecordFromRow(await row(count));
    await replace(count + 1, {
      ...last,
      seq: count + 1,
      id: 'aud_forged_tail',
      prevHash: last.hash,
      hash: 'f'.repeat(64),
    });
    expect(await verify()).toMatchObject({ ok: false, brokenAt: count + 1 });
    await restore();

    // ...or in the middle, linked and hashed correctly, with everything after it renumbered.
    const seq = middle();
    await db().run('UPDATE audit_log SET seq = -seq WHERE seq >= ?', [seq]);
    await db().run('UPDATE audit_log SET seq = 1 - seq WHERE seq < 0');
    const previous = auditRecordFromRow(await row(seq - 1));
    const unhashed = {
      ...auditRecordFromRow(await row(seq + 1)),
      seq,
      id: 'aud_forged_middle',
      requester: 'mallory',
      prevHash: previous.hash,
    };
    const { hash: _hash, ...fields } = unhashed;
    await replace(seq, { ...fields, hash: hashRecord(fields) });
    expect(await verify()).toMatchObject({ ok: false, brokenAt: seq + 1 });
  });

  it('audit tamper: swapping two records, or their positions, is detected', async () => {
    const a = middle();
    const b = a + 3;
    const first = auditRecordFromRow(await row(a));
    const second = auditRecordFromRow(await row(b));
    await db().run('DELETE FROM audit_log WHERE seq IN (?, ?)', [a, b]);
    await replace(a, { ...second, seq: a });
    await replace(b, { ...first, seq: b });
    expect(await verify()).toMatchObject({ ok: false, brokenAt: a });
    await restore();

    // Swapping only the order numbers.
    await db().run('UPDATE audit_log SET seq = -1 WHERE seq = ?', [a]);
    await db().run('UPDATE audit_log SET seq = ? WHERE seq = ?', [a, a + 1]);
    await db().run('UPDATE audit_log SET seq = ? WHERE seq = -1', [a + 1]);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: a });
  });
});
