import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApprovalsResponse,
  AuditRecordWire,
  AuditResponse,
  AuditVerifyResponse,
  RunWire,
} from '../../src/protocol/wire.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { api, ok, postMessage, signIn, waitForRun } from '../support/behalf-client.ts';
import { type HoldMcpServer, holdServerConfig, startHoldMcpServer } from '../support/hold-mcp-server.ts';
import { requirePostgres } from '../support/postgres.ts';
import { type BehalfProcess, runBehalf } from '../support/spawn-behalf.ts';
import { createPgDeployment, type PgDeployment } from './pg-deployment.ts';

const postgres = await requirePostgres('kill -9 and run takeover across behalf processes (test/multiprocess)');

const THREAD = ACME_THREAD.id;
const LEASE_MS = 2000;
const POLL_MS = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Issue 4, point 3: a run whose process dies (SIGKILL) is ended `failed` by another process
 * within its lease; the tool call it was executing gets exactly one terminal `unknown` audit
 * record and never runs again; a run awaiting approval ends the same way; a run still queued
 * survives its creator. Processes run one run each (`BEHALF_RUN_CONCURRENCY=1`), so which
 * process holds what is known, and a run can be kept waiting in the queue on purpose.
 */
describe.skipIf(!postgres)('kill -9 during a run, with another process taking over', () => {
  let hold: HoldMcpServer;
  let deployment: PgDeployment;
  /** The processes alive now. */
  let live: BehalfProcess[] = [];
  const tokens: Record<string, string> = {};
  const takeovers: number[] = [];
  /** Started while the first test waits, for the second (startup takes seconds). */
  let replacement: Promise<BehalfProcess> | undefined;

  beforeAll(async () => {
    hold = await startHoldMcpServer();
    deployment = await createPgDeployment({
      BEHALF_MCP_SERVERS: holdServerConfig(hold),
      BEHALF_RUN_LEASE_MS: String(LEASE_MS),
      BEHALF_RUN_POLL_MS: String(POLL_MS),
      BEHALF_RUN_CONCURRENCY: '1',
    });
    live = await Promise.all([deployment.spawn('A'), deployment.spawn('B')]);
    for (const user of ['bob', 'ivy']) tokens[user] = await signIn(live[0]?.url as string, user);
  });

  afterAll(async () => {
    if (takeovers.length > 0) {
      console.info(
        `takeover after kill -9 (lease ${LEASE_MS} ms, poll ${POLL_MS} ms): ${takeovers.map((ms) => `${Math.round(ms)} ms`).join(', ')}`,
      );
    }
    await deployment?.close();
    await hold?.close();
  });

  const bob = () => tokens.bob as string;
  const ivy = () => tokens.ivy as string;

  async function ask(process: BehalfProcess, text: string): Promise<string> {
    const posted = await postMessage(process.url, bob(), THREAD, text);
    return posted.run?.id as string;
  }

  const statusOf = async (process: BehalfProcess, runId: string) =>
    (await ok<RunWire>(process.url, bob(), 'GET', `/api/runs/${runId}`)).status;

  /** The live process holding the run's lease, and the other live one. */
  async function holderOf(runId: string): Promise<{ holder: BehalfProcess; other: BehalfProcess }> {
    const pid = await deployment.leaseHolderPid(runId);
    const holder = live.find((process) => process.pid === pid);
    const other = live.find((process) => process.pid !== pid);
    if (!holder || !other) throw new Error(`run ${runId} is held by pid ${pid}, not by one of two live processes`);
    return { holder, other };
  }

  /** SIGKILLs `victim`, then measures until `survivor` reports the run ended. */
  async function killAndAwaitEnd(victim: BehalfProcess, survivor: BehalfProcess, runId: string) {
    const killedAt = performance.now();
    expect(await victim.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    live = live.filter((process) => process !== victim);
    const { run, seenAt } = await waitForRun(survivor.url, bob(), runId, ['done', 'failed', 'cancelled'], {
      timeoutMs: LEASE_MS * 5,
      intervalMs: 20,
    });
    takeovers.push(seenAt - killedAt);
    return { run, takeoverMs: seenAt - killedAt };
  }

  async function toolCallRecords(process: BehalfProcess, runId: string): Promise<AuditRecordWire[]> {
    const { records } = await ok<AuditResponse>(process.url, ivy(), 'GET', `/api/audit?run=${runId}&limit=1000`);
    return records.filter((record) => record.action === 'tool.call');
  }

  /** The run's `tool.call` records once there is one (the reaper writes them right after ending the run). */
  async function terminalRecords(process: BehalfProcess, runId: string): Promise<AuditRecordWire[]> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const records = await toolCallRecords(process, runId);
      if (records.length > 0 || Date.now() > deadline) return records;
      await sleep(20);
    }
  }

  it('ends a run killed mid tool call failed within one lease, with one unknown record, never re-executed', async () => {
    const runId = await ask(live[0] as BehalfProcess, '@agent /tool crm_hold {"key": "crash-1"}');
    const call = await hold.waitForCall('crash-1');
    expect(call).toMatchObject({ tool: 'hold', subject: 'bob', runId });
    const { holder, other } = await holderOf(runId);

    const { run, takeoverMs } = await killAndAwaitEnd(holder, other, runId);
    replacement = deployment.spawn('C');
    replacement.catch(() => {});
    expect(run).toMatchObject({ status: 'failed', requesterId: 'bob' });
    expect(run.error).toMatch(/stopped/);
    // The lease had at most LEASE_MS left and the reaper looks every POLL_MS; the rest is slack
    // for two shared cores.
    expect(takeoverMs).toBeLessThan(LEASE_MS + POLL_MS + 3000);

    const records = await terminalRecords(other, runId);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      decision: 'unknown',
      requester: 'bob',
      resource: 'tool:crm_hold',
      reason: expect.stringMatching(/outcome is unknown/),
    });
    expect(records[0]?.callId).toMatch(new RegExp(`^${runId}:`));

    // The cut-off call finishing now changes nothing: it ran once, and is never executed again.
    hold.release('crash-1');
    await sleep(POLL_MS * 5);
    expect(hold.callsOf('crash-1')).toHaveLength(1);
    expect(await toolCallRecords(other, runId)).toHaveLength(1);
    expect(await statusOf(other, runId)).toBe('failed');
    expect(await ok<AuditVerifyResponse>(other.url, ivy(), 'GET', '/api/audit/verify')).toMatchObject({ ok: true });
  });

  it('when a process dies awaiting an approval, with a run it created still queued: the other ends the first, runs the second', async () => {
    live.push(await (replacement ?? deployment.spawn('C')));
    const approvalRun = await ask(live[0] as BehalfProcess, '@agent /tool crm_hold_write {"key": "approval-1"}');
    await waitForRun(live[0]?.url as string, bob(), approvalRun, ['awaiting_approval']);
    const { holder: creator, other } = await holderOf(approvalRun);
    // The waiting run holds its process's only slot; a held read takes the other's.
    const busyRun = await ask(creator, '@agent /tool crm_hold {"key": "busy-1"}');
    await hold.waitForCall('busy-1');
    expect(await deployment.leaseHolderPid(busyRun)).toBe(other.pid);
    const queuedRun = await ask(creator, '@agent /tool crm_ping {}');
    await sleep(POLL_MS * 3);
    expect(await statusOf(creator, queuedRun)).toBe('queued');

    const { run } = await killAndAwaitEnd(creator, other, approvalRun);
    expect(run).toMatchObject({ status: 'failed', error: expect.stringMatching(/stopped/) });
    // Approving the dead run's call afterwards executes nothing.
    const { approvals } = await ok<ApprovalsResponse>(other.url, bob(), 'GET', `/api/threads/${THREAD}/approvals`);
    const approval = approvals.find((pending) => pending.runId === approvalRun);
    if (approval) await api(other.url, bob(), 'POST', `/api/approvals/${approval.id}`, { approve: true });

    // Once the other process has a free slot, it claims the run its dead creator left queued.
    hold.release('busy-1');
    const queued = await waitForRun(other.url, bob(), queuedRun, ['done', 'failed'], { timeoutMs: LEASE_MS * 5 });
    expect(queued.run.status).toBe('done');
    expect(queued.run.steps?.filter((step) => step.kind === 'tool-call')).toEqual([
      expect.objectContaining({ tool: 'crm_ping', decision: 'allow' }),
    ]);
    expect(await statusOf(other, busyRun)).toBe('done');
    await sleep(POLL_MS * 3);
    expect(hold.callsOf('approval-1')).toEqual([]);
    expect(await statusOf(other, approvalRun)).toBe('failed');
    expect(await toolCallRecords(other, approvalRun)).toEqual([]);
  });

  it('leaves an audit chain that verifies, through the API and `behalf audit verify`', async () => {
    const [current] = live as [BehalfProcess];
    expect(await ok<AuditVerifyResponse>(current.url, ivy(), 'GET', '/api/audit/verify')).toMatchObject({ ok: true });
    const cli = await runBehalf(['audit', 'verify', '--data', deployment.dataDir, '--json'], { env: deployment.env });
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout.trim().split('\n').at(-1) as string)).toMatchObject({ ok: true });
    // Exactly one terminal record for every tool call that ever began.
    const { records } = await ok<AuditResponse>(current.url, ivy(), 'GET', '/api/audit?action=tool.call&limit=1000');
    const perCall = new Map<string, number>();
    for (const record of records) if (record.callId) perCall.set(record.callId, (perCall.get(record.callId) ?? 0) + 1);
    expect(perCall.size).toBeGreaterThanOrEqual(3);
    expect([...perCall.values()].every((count) => count === 1)).toBe(true);
    expect(records.filter((record) => record.decision === 'unknown')).toHaveLength(1);
  });
});
