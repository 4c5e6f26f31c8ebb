import { appendFile, copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  editAndRecompute,
  readAuditRecords,
  rewriteFromGenesis,
  writeAuditRecords,
} from '../../test/support/audit-rewrite.ts';
import { AUDIT_CHECKPOINT_FILE } from '../app/audit-checkpoint-settings.ts';
import { openDeployment } from '../app/open-deployment.ts';
import { EXIT } from './exit-codes.ts';
import { main } from './main.ts';
import type { CommandOutput } from './output.ts';

function capture(): CommandOutput & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (line) => lines.push(line), progress: () => {}, error: (line) => lines.push(line) };
}

async function verify(data: string): Promise<{ code: number; result: Record<string, unknown> }> {
  const output = capture();
  const code = await main(['audit', 'verify', '--json', '--data', data], output);
  return { code, result: JSON.parse(output.lines.at(-1) as string) };
}

/** Appends audit records the way the engine does. */
async function appendRecords(data: string, requesters: string[]): Promise<void> {
  const deployment = await openDeployment({ dataDir: data, env: process.env, seed: false });
  try {
    for (const requester of requesters) {
      await deployment.app.audit.append({
        requester,
        agent: 'behalf-agent',
        mode: 'user',
        threadId: null,
        runId: null,
        action: 'tool.call',
        resource: 'tool:sql',
        decision: requester === 'gus' ? 'deny' : 'allow',
        policies: ['users-use-tools'],
      });
    }
  } finally {
    await deployment.close();
  }
}

/**
 * Issue 7, item 5 (I6): `behalf audit verify` checks the signed checkpoints kept outside the
 * database, so an operator of the database who recomputes, truncates or rewrites the chain is
 * caught without `--anchor`.
 */
describe('behalf audit verify with signed checkpoints', () => {
  let data: string;
  let checkpointFile: string;
  let count: number;
  const database = () => new Database(join(data, 'behalf.db'));

  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'behalf-cli-checkpoint-'));
    checkpointFile = join(data, AUDIT_CHECKPOINT_FILE);
    expect(await main(['seed', '--data', data], capture())).toBe(EXIT.ok);
    await appendRecords(data, ['alice', 'bob', 'gus', 'carol', 'dana']);
    const written = capture();
    expect(await main(['audit', 'checkpoint', '--json', '--data', data], written)).toBe(EXIT.ok);
    const report = JSON.parse(written.lines[0] as string);
    count = report.verification.count;
    expect(report.written).toMatchObject({ v: 1, seq: count });
    const db = database();
    db.exec('CREATE TABLE audit_backup AS SELECT * FROM audit_log');
    db.close();
    await copyFile(checkpointFile, `${checkpointFile}.backup`);
  }, 120_000);
  afterEach(async () => {
    const db = database();
    db.exec('DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM audit_backup');
    db.close();
    await copyFile(`${checkpointFile}.backup`, checkpointFile);
  });
  afterAll(async () => {
    await rm(data, { recursive: true, force: true });
  });

  const tamper = (change: (db: Database.Database) => void) => {
    const db = database();
    change(db);
    db.close();
  };

  it('audit verify: passes and reports the checkpoint in --json', async () => {
    const { code, result } = await verify(data);
    expect(code).toBe(EXIT.ok);
    expect(result).toMatchObject({ ok: true, count, checkpoint: { ok: true, seq: count, at: expect.any(Number) } });
    const text = capture();
    expect(await main(['audit', 'verify', '--data', data], text)).toBe(EXIT.ok);
    expect(text.lines.join('\n')).toMatch(new RegExp(`Checkpoint: record ${count} as signed`));
  });

  it('audit verify: passes after more records are appended past the checkpoint', async () => {
    await appendRecords(data, ['erin', 'frank']);
    const { code, result } = await verify(data);
    expect(code).toBe(EXIT.ok);
    expect(result).toMatchObject({ ok: true, count: count + 2, checkpoint: { ok: true, seq: count } });
  });

  it('audit verify: exits 1 when a record is edited and the chain recomputed from there', async () => {
    tamper((db) =>
      writeAuditRecords(
        db,
        editAndRecompute(readAuditRecords(db), 4, (record) => ({ ...record, decision: 'allow', reason: 'fine' })),
      ),
    );
    const { code, result } = await verify(data);
    expect(code).toBe(EXIT.negative);
    expect(result).toMatchObject({
      ok: false,
      brokenAt: count,
      reason: expect.stringMatching(/differs from the signed checkpoint/),
      checkpoint: { ok: false, seq: count },
    });
    // ...and a later `audit checkpoint` refuses to sign the forged chain.
    expect(await main(['audit', 'checkpoint', '--data', data], capture())).toBe(EXIT.negative);
  });

  it('audit verify: exits 1 when the tail behind the checkpoint is deleted', async () => {
    tamper((db) => db.prepare('DELETE FROM audit_log WHERE seq > ?').run(count - 2));
    const { code, result } = await verify(data);
    expect(code).toBe(EXIT.negative);
    expect(result).toMatchObject({ ok: false, brokenAt: count - 1, checkpoint: { ok: false } });
  });

  it('audit verify: exits 1 when the chain is rewritten from genesis', async () => {
    tamper((db) => writeAuditRecords(db, rewriteFromGenesis(readAuditRecords(db))));
    const { code, result } = await verify(data);
    expect(code).toBe(EXIT.negative);
    expect(result).toMatchObject({ ok: false, brokenAt: count, checkpoint: { ok: false } });
  });

  it('a serving deployment checkpoints the head when it starts and when it stops', async () => {
    const deployment = await openDeployment({ dataDir: data, env: process.env, seed: false, serve: true });
    await deployment.app.audit.append({
      requester: 'hank',
      agent: null,
      mode: 'direct',
      threadId: null,
      runId: null,
      action: 'thread.create',
      resource: 'thread:thr_x',
      decision: 'allow',
      policies: [],
    });
    await deployment.close();
    const seqs = (await readFile(checkpointFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).seq);
    expect(seqs).toEqual([count, count + 1]);
    expect(await verify(data)).toMatchObject({ code: EXIT.ok, result: { checkpoint: { ok: true, seq: count + 1 } } });
  });

  it('audit verify: exits 1 when the checkpoint file holds a line with a bad signature', async () => {
    // A checkpoint for a forged head, written by someone who can reach the file but not the secret.
    const line = JSON.parse((await readFile(checkpointFile, 'utf8')).trim());
    await appendFile(checkpointFile, `${JSON.stringify({ ...line, seq: count + 50, hash: 'c'.repeat(64) })}\n`);
    const { code, result } = await verify(data);
    expect(code).toBe(EXIT.negative);
    expect(result).toMatchObject({
      ok: false,
      brokenAt: 0,
      reason: expect.stringMatching(/signature does not match/),
      checkpoint: { ok: false },
    });
  });
});
